using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>Parses a message once and produces everything the index caches about it.</summary>
public static class MessageAnalyzer
{
    /// <summary>
    /// Reads the message forward once; memory is bounded by its structure (parts, header sizes), not its size.
    /// Never throws on malformed mail; only I/O errors and cancellation escape.
    /// </summary>
    public static async ValueTask<MessageSummary> AnalyzeAsync(Stream message, CancellationToken ct = default)
    {
        var structure = await MimeParser.ParseAsync(message, null, ct).ConfigureAwait(false);
        return Summarize(structure);
    }

    /// <summary>Builds the summary of an already parsed message.</summary>
    public static MessageSummary Summarize(MimeStructure structure)
    {
        var root = structure.Root;
        var fields = root.MessageFields ?? [];
        var envelope = new StringBuilder("(");
        EnvelopeWriter.Append(envelope, fields).Append(')');
        var bodyStructure = new StringBuilder("(");
        BodyStructureWriter.Append(bodyStructure, root, extended: true).Append(')');
        var body = new StringBuilder("(");
        BodyStructureWriter.Append(body, root, extended: false).Append(')');

        string? subject = LastField(fields, "Subject");
        string? messageId = LastField(fields, "Message-ID");
        string? date = LastField(fields, "Date");
        return new MessageSummary
        {
            Rfc822Size = structure.Size,
            RawSize = structure.RawSize,
            Envelope = envelope.ToWireBytes(),
            BodyStructure = bodyStructure.ToWireBytes(),
            Body = body.ToWireBytes(),
            MessageId = messageId is null ? null : new HeaderField("", messageId).UnfoldedValue.Trim(),
            Date = date is null ? null : MessageDateParser.TryParse(date),
            Subject = subject is null ? null : EncodedWords.DecodeHeader(subject),
            LineCount = root.BodyLines,
            Structure = structure,
        };
    }

    private static string? LastField(IReadOnlyList<HeaderField> fields, string name)
    {
        string? value = null;
        foreach (var field in fields)
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = field.RawValue;
            }
        }
        return value;
    }
}
