namespace ImapProxy.Store.Mime;

/// <summary>What FETCH and SEARCH need about a message without reading it again; computed once at ingest.</summary>
public sealed class MessageSummary
{
    /// <summary>RFC822.SIZE: the size with every line end counted as CRLF, even when the file uses LF.</summary>
    public required long Rfc822Size { get; init; }

    /// <summary>Bytes in the file as stored.</summary>
    public required long RawSize { get; init; }

    /// <summary>ENVELOPE, exact wire syntax as it follows "ENVELOPE " (with its parentheses).</summary>
    public required byte[] Envelope { get; init; }

    /// <summary>BODYSTRUCTURE with extension data, wire syntax with its parentheses.</summary>
    public required byte[] BodyStructure { get; init; }

    /// <summary>BODY (no extension data), wire syntax with its parentheses.</summary>
    public required byte[] Body { get; init; }

    /// <summary>The Message-ID field value (unfolded, trimmed), or null.</summary>
    public string? MessageId { get; init; }

    /// <summary>The (last) Date field, parsed; null when absent or unparsable. Parsed when asked: ingest does not need it.</summary>
    public DateTimeOffset? Date =>
        MessageAnalyzer.LastField(Structure.Root.MessageFields ?? [], "Date") is { } date ? MessageDateParser.TryParse(date) : null;

    /// <summary>The (last) Subject field with RFC 2047 encoded-words decoded, or null. Decoded when asked.</summary>
    public string? Subject =>
        MessageAnalyzer.LastField(Structure.Root.MessageFields ?? [], "Subject") is { } subject ? EncodedWords.DecodeHeader(subject) : null;

    /// <summary>Lines in the message body (LF count), as BODYSTRUCTURE counts them.</summary>
    public int LineCount { get; init; }

    /// <summary>The part tree, for section fetches (BODY[1.2], BINARY[...]) and body search.</summary>
    public required MimeStructure Structure { get; init; }
}
