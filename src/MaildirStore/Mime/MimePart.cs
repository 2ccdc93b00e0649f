namespace ImapProxy.Store.Mime;

/// <summary>
/// One MIME part of a message as found by <see cref="MimeParser"/>: where its header and body lie in the raw file,
/// their sizes once line ends are CRLF, and the Content-* fields that BODYSTRUCTURE reports.
/// The message itself is the root part; a message/rfc822 part has exactly one child, the encapsulated message.
/// </summary>
public sealed class MimePart
{
    private readonly List<MimePart> children = [];

    /// <summary>The enclosing part, null for the root.</summary>
    public MimePart? Parent { get; internal set; }

    /// <summary>Parts of a multipart, or the encapsulated message of a message/rfc822 part.</summary>
    public IReadOnlyList<MimePart> Children => children;

    /// <summary>Raw file offset where the header starts.</summary>
    public long HeaderOffset { get; internal set; }

    /// <summary>Raw length of the header including the blank line that ends it (if any).</summary>
    public long HeaderLength { get; internal set; }

    /// <summary>Header size with every line end counted as CRLF.</summary>
    public long HeaderSize { get; internal set; }

    /// <summary>Raw file offset where the body starts.</summary>
    public long BodyOffset { get; internal set; }

    /// <summary>Raw length of the body (excluding the line end that belongs to a following boundary).</summary>
    public long BodyLength { get; internal set; }

    /// <summary>Body size with every line end counted as CRLF: the size BODYSTRUCTURE reports.</summary>
    public long BodySize { get; internal set; }

    /// <summary>Number of LF characters in the body: the line count BODYSTRUCTURE reports.</summary>
    public int BodyLines { get; internal set; }

    /// <summary>True when the body is a multipart with a boundary (children are its parts).</summary>
    public bool IsMultipart { get; internal set; }

    /// <summary>True when the body is a message/rfc822 (the single child is the encapsulated message).</summary>
    public bool IsMessageRfc822 { get; internal set; }

    /// <summary>The Content-* fields of this part's header (empty fields when the header had none).</summary>
    public ContentFields Content { get; internal set; } = new();

    /// <summary>For a message (the root or a message/rfc822 child): its IMAP ENVELOPE in wire syntax.</summary>
    public byte[]? Envelope { get; internal set; }

    /// <summary>
    /// True when the Content-* fields count: the part is inside a multipart, or its header has MIME-Version or
    /// Content-Type. Otherwise BODYSTRUCTURE ignores a lone Content-Transfer-Encoding and the like.
    /// </summary>
    public bool IsMime { get; internal set; }

    /// <summary>For a message (the root or a message/rfc822 child): its header fields, for ENVELOPE and search.</summary>
    public IReadOnlyList<HeaderField>? MessageFields { get; internal set; }

    /// <summary>How many levels deep this part sits (root is 0).</summary>
    public int Depth { get; internal set; }

    internal void AddChild(MimePart child)
    {
        child.Parent = this;
        child.Depth = Depth + 1;
        children.Add(child);
    }

    /// <summary>Media type in lower case, defaulting to text/plain as RFC 2045 §5.2 says.</summary>
    public string MediaType => (Content.Type ?? "text").ToLowerInvariant();

    /// <summary>Media subtype in lower case, defaulting to plain.</summary>
    public string MediaSubtype => (Content.Subtype ?? (Content.Type is null ? "plain" : "")).ToLowerInvariant();
}
