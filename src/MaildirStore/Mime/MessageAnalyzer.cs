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
        // One builder per thread for the three wire strings: the ingest of a large account summarises every message.
        var text = WireText.Rent();
        text.Append('(');
        var envelope = EnvelopeWriter.Append(text, fields).Append(')').ToWireBytes();
        text.Clear().Append('(');
        var bodyStructure = BodyStructureWriter.Append(text, root, extended: true).Append(')').ToWireBytes();
        text.Clear().Append('(');
        var body = BodyStructureWriter.Append(text, root, extended: false).Append(')').ToWireBytes();
        WireText.Return(text);

        string? messageId = LastField(fields, "Message-ID");
        return new MessageSummary
        {
            Rfc822Size = structure.Size,
            RawSize = structure.RawSize,
            Envelope = envelope,
            BodyStructure = bodyStructure,
            Body = body,
            MessageId = messageId is null ? null : new HeaderField("", messageId).UnfoldedValue.Trim(),
            LineCount = root.BodyLines,
            Structure = structure,
        };
    }

    /// <summary>The raw value of the last field named <paramref name="name"/>, or null.</summary>
    internal static string? LastField(IReadOnlyList<HeaderField> fields, string name)
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
