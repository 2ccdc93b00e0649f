namespace ImapProxy.Store.Mime;

/// <summary>
/// FETCH section extraction (RFC 3501 §6.4.5, RFC 3516 BINARY) over a message file and its parsed structure.
/// A section naming no existing part is empty, as Dovecot answers it.
/// </summary>
public static class MessageSections
{
    /// <summary>BODY[section]: the bytes, CRLF line ends, sizes and partial offsets in those bytes.</summary>
    public static async ValueTask<SectionContent> GetAsync(Stream message, MimeStructure structure, SectionSpec section, CancellationToken ct = default)
    {
        var part = structure.FindPart(section.Part.ToArray());
        if (part is null)
        {
            return SectionContent.Empty;
        }
        bool topLevel = section.Part.Count == 0;
        if (section.Kind is SectionKind.Header or SectionKind.HeaderFields or SectionKind.HeaderFieldsNot or SectionKind.Text && !topLevel)
        {
            // Below the top, these name the message inside a message/rfc822 part.
            if (!part.IsMessageRfc822 || part.Children.Count != 1)
            {
                return SectionContent.Empty;
            }
            part = part.Children[0];
        }
        switch (section.Kind)
        {
            case SectionKind.Body when topLevel:
                return SectionContent.FromRange(message, 0, structure.RawSize, structure.Size);
            case SectionKind.Body or SectionKind.Text:
                return Body(message, part);
            case SectionKind.Header or SectionKind.Mime:
                return Header(message, part);
            case SectionKind.HeaderFields or SectionKind.HeaderFieldsNot:
                var bytes = await HeaderFieldFilter.FilterAsync(message, part, section.Fields ?? [], section.Kind == SectionKind.HeaderFieldsNot, ct)
                    .ConfigureAwait(false);
                return SectionContent.FromBytes(bytes);
            default:
                return SectionContent.Empty;
        }
    }

    /// <summary>RFC822: the whole message.</summary>
    public static SectionContent GetMessage(Stream message, MimeStructure structure) =>
        SectionContent.FromRange(message, 0, structure.RawSize, structure.Size);

    /// <summary>RFC822.HEADER: the message header.</summary>
    public static SectionContent GetHeader(Stream message, MimeStructure structure) => Header(message, structure.Root);

    /// <summary>RFC822.TEXT: the message body.</summary>
    public static SectionContent GetText(Stream message, MimeStructure structure) => Body(message, structure.Root);

    /// <summary>
    /// BINARY[part] (RFC 3516): the part's body with its Content-Transfer-Encoding undone (base64, quoted-printable;
    /// 7bit/8bit/binary as they are, NUL bytes kept). Null when the encoding is one we cannot undo: the server
    /// answers NO [UNKNOWN-CTE]. An empty part path means the whole message, not decoded.
    /// </summary>
    public static SectionContent? GetBinary(Stream message, MimeStructure structure, IReadOnlyList<int> partPath)
    {
        if (partPath.Count == 0)
        {
            return SectionContent.Decoded(message, 0, structure.RawSize, null);
        }
        var part = structure.FindPart(partPath.ToArray());
        if (part is null)
        {
            return SectionContent.Empty;
        }
        string? encoding = part.IsMime ? part.Content.TransferEncoding : null;
        if (part.IsMultipart || part.IsMessageRfc822)
        {
            encoding = null;
        }
        if (!TransferDecoding.IsKnown(encoding))
        {
            return null;
        }
        return SectionContent.Decoded(message, part.BodyOffset, part.BodyLength, encoding);
    }

    private static SectionContent Body(Stream message, MimePart part) =>
        SectionContent.FromRange(message, part.BodyOffset, part.BodyLength, part.BodySize);

    private static SectionContent Header(Stream message, MimePart part) =>
        SectionContent.FromRange(message, part.HeaderOffset, part.HeaderLength, part.HeaderSize);
}
