using ImapProxy.Store;
using ImapProxy.Store.Mime;

namespace ImapProxy.Server.Sort;

/// <summary>What SORT and THREAD need of one message: its place in the mailbox, index data and a few header fields.</summary>
internal sealed class SortMessage
{
    private BaseSubject? _subject;

    public SortMessage(int sequenceNumber, MessageInfo info, IReadOnlyList<HeaderField> fields)
    {
        SequenceNumber = sequenceNumber;
        Info = info;
        Fields = fields;
        SentDate = First("Date") is { } date && MessageDateParser.TryParse(date) is { } parsed
            ? parsed
            : info.InternalDate; // RFC 5256 §2.2: a missing or unparsable Date: falls back to INTERNALDATE.
    }

    public int SequenceNumber { get; }

    public MessageInfo Info { get; }

    public IReadOnlyList<HeaderField> Fields { get; }

    /// <summary>The sent date (RFC 5256 §2.2); compared in UTC.</summary>
    public DateTimeOffset SentDate { get; }

    public BaseSubject Subject => _subject ??= BaseSubject.FromRawHeader(First("Subject"));

    /// <summary>addr-mailbox of the first address of the field (RFC 5256 §3: FROM, TO, CC), or "" when none.</summary>
    public string FirstMailbox(string field)
    {
        var value = First(field);
        if (value is null)
        {
            return "";
        }
        var addresses = AddressParser.Parse(value);
        return addresses.Count == 0 ? "" : addresses[0].Mailbox ?? "";
    }

    /// <summary>The raw value of the first field of that name, or null.</summary>
    public string? First(string name)
    {
        foreach (var field in Fields)
        {
            if (field.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return field.RawValue;
            }
        }
        return null;
    }
}
