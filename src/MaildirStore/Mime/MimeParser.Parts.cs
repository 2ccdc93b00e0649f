namespace ImapProxy.Store.Mime;

internal sealed partial class MimeParser
{
    /// <summary>
    /// A place in the file: raw offset, and how many bare LFs (each one byte short of CRLF) and LFs lie before it,
    /// so that any range's CRLF size and line count are differences of two positions.
    /// </summary>
    private readonly record struct Position(long Raw, long BareLf, long Lf)
    {
        public Position Advance(int bytes, int terminatorLength) => terminatorLength switch
        {
            1 => new(Raw + bytes, BareLf + 1, Lf + 1),
            2 => new(Raw + bytes, BareLf, Lf + 1),
            _ => new(Raw + bytes, BareLf, Lf),
        };
    }

    private sealed class OpenPart(MimePart part, Position headerStart, bool isMessage, MimeParserLimits limits)
    {
        public MimePart Part { get; } = part;
        public Position HeaderStart { get; } = headerStart;
        public Position BodyStart { get; set; } = headerStart;

        /// <summary>Where the body's current stretch began: the body start, or the end of a close delimiter.</summary>
        public Position BodyFloor { get; set; } = headerStart;

        public Position ContentFloor => InHeader ? HeaderStart : BodyFloor;
        public bool InHeader { get; set; } = true;
        public bool IsMessage { get; } = isMessage;
        public HeaderCollector? Header { get; set; } = new(limits.MaxHeaderBytes, limits.MaxFieldBytes);
        public bool DefaultRfc822 { get; init; }
        public bool ChildrenDefaultToRfc822 { get; set; }
    }

    private void EndHeader(OpenPart part, Position headerEnd, bool headerOnly = false)
    {
        var p = part.Part;
        part.InHeader = false;
        part.BodyStart = headerEnd;
        part.BodyFloor = headerEnd;
        p.HeaderOffset = part.HeaderStart.Raw;
        p.HeaderLength = headerEnd.Raw - part.HeaderStart.Raw;
        p.HeaderSize = p.HeaderLength + (headerEnd.BareLf - part.HeaderStart.BareLf);
        p.BodyOffset = headerEnd.Raw;

        var fields = part.Header?.ToFields() ?? [];
        part.Header = null;
        var content = ContentFieldParser.Parse(fields);
        p.Content = content;
        if (part.IsMessage)
        {
            p.MessageFields = fields;
            // Dovecot 2.3 (non-strict) counts Content-* fields when either header is present.
            if (HeaderFieldParser.First(fields, "MIME-Version") is not null
                || HeaderFieldParser.First(fields, "Content-Type") is not null)
            {
                p.IsMime = true;
            }
        }
        if (headerOnly)
        {
            return;
        }

        bool canNest = p.Depth < limits.MaxDepth && partCount < limits.MaxParts;
        string type = content.Type ?? (part.DefaultRfc822 ? "message" : "text");
        string subtype = content.Type is null ? (part.DefaultRfc822 ? "rfc822" : "plain") : content.Subtype ?? "";
        if (type.Equals("multipart", StringComparison.OrdinalIgnoreCase))
        {
            // Without a boundary it is still a multipart, one without parts (Dovecot 2.3 does the same).
            var boundary = content.GetParameter("boundary");
            if (canNest)
            {
                p.IsMultipart = true;
                part.ChildrenDefaultToRfc822 = subtype.Equals("digest", StringComparison.OrdinalIgnoreCase);
                if (!string.IsNullOrEmpty(boundary))
                {
                    boundaries.Add((HeaderField.Latin1.GetBytes(boundary), part));
                }
            }
        }
        else if (canNest && type.Equals("message", StringComparison.OrdinalIgnoreCase)
                 && subtype.Equals("rfc822", StringComparison.OrdinalIgnoreCase))
        {
            p.IsMessageRfc822 = true;
            partCount++;
            var child = new MimePart();
            p.AddChild(child);
            open.Add(new OpenPart(child, headerEnd, isMessage: true, limits));
        }
    }
}
