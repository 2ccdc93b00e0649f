using ImapProxy.Store.Mime;

namespace ImapProxy.Store;

/// <summary>
/// What SORT and THREAD (RFC 5256) read of a message's header, taken at ingest from the first field of each name and
/// kept in the index, so that neither command opens message files. Values are kept as close to the header as the
/// commands allow (decoded subject, not its base subject), so a change to the sort rules needs no re-indexing.
/// </summary>
public sealed class SortFields
{
    /// <summary>A message with none of the fields (one whose file has gone).</summary>
    public static readonly SortFields Empty = new();

    /// <summary>The first Date field, parsed, in UTC ticks; null when absent or unparsable (RFC 5256 §2.2 then
    /// falls back to INTERNALDATE).</summary>
    public long? SentDateUtcTicks { get; init; }

    /// <summary>The first Subject field with RFC 2047 encoded-words decoded; "" when absent.</summary>
    public string Subject { get; init; } = "";

    /// <summary>addr-mailbox of the first address of the first From field; "" when none.</summary>
    public string FromMailbox { get; init; } = "";

    /// <summary>addr-mailbox of the first address of the first To field; "" when none.</summary>
    public string ToMailbox { get; init; } = "";

    /// <summary>addr-mailbox of the first address of the first Cc field; "" when none.</summary>
    public string CcMailbox { get; init; } = "";

    /// <summary>The raw value of the first Message-ID field, or null.</summary>
    public string? MessageId { get; init; }

    /// <summary>The raw value of the first In-Reply-To field, or null.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The raw value of the first References field, or null.</summary>
    public string? References { get; init; }

    /// <summary>Takes the fields from a parsed header (the first field of each name counts).</summary>
    public static SortFields FromHeader(IReadOnlyList<HeaderField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        string? date = null, subject = null, from = null, to = null, cc = null, messageId = null, inReplyTo = null, references = null;
        foreach (var field in fields)
        {
            var name = field.Name;
            if (Is(name, "Date")) date ??= field.RawValue;
            else if (Is(name, "Subject")) subject ??= field.RawValue;
            else if (Is(name, "From")) from ??= field.RawValue;
            else if (Is(name, "To")) to ??= field.RawValue;
            else if (Is(name, "Cc")) cc ??= field.RawValue;
            else if (Is(name, "Message-ID")) messageId ??= field.RawValue;
            else if (Is(name, "In-Reply-To")) inReplyTo ??= field.RawValue;
            else if (Is(name, "References")) references ??= field.RawValue;
        }
        return new SortFields
        {
            SentDateUtcTicks = date is not null && MessageDateParser.TryParse(date) is { } parsed ? parsed.UtcTicks : null,
            Subject = subject is null ? "" : EncodedWords.DecodeHeader(subject),
            FromMailbox = FirstMailbox(from),
            ToMailbox = FirstMailbox(to),
            CcMailbox = FirstMailbox(cc),
            MessageId = messageId,
            InReplyTo = inReplyTo,
            References = references,
        };
    }

    private static bool Is(string name, string wanted) => name.Equals(wanted, StringComparison.OrdinalIgnoreCase);

    private static string FirstMailbox(string? value)
    {
        if (value is null)
        {
            return "";
        }
        var addresses = AddressParser.Parse(value);
        return addresses.Count == 0 ? "" : addresses[0].Mailbox ?? "";
    }
}

/// <summary>Which of a message's <see cref="SortFields"/> a load reads (the others stay at their defaults).</summary>
[Flags]
public enum SortFieldParts
{
    /// <summary>None: only whether a row exists.</summary>
    None = 0,

    /// <summary><see cref="SortFields.SentDateUtcTicks"/>.</summary>
    Date = 1,

    /// <summary><see cref="SortFields.Subject"/>.</summary>
    Subject = 2,

    /// <summary><see cref="SortFields.FromMailbox"/>.</summary>
    From = 4,

    /// <summary><see cref="SortFields.ToMailbox"/>.</summary>
    To = 8,

    /// <summary><see cref="SortFields.CcMailbox"/>.</summary>
    Cc = 16,

    /// <summary><see cref="SortFields.MessageId"/>, <see cref="SortFields.InReplyTo"/> and <see cref="SortFields.References"/>.</summary>
    Threading = 32,

    /// <summary>Everything.</summary>
    All = Date | Subject | From | To | Cc | Threading,
}
