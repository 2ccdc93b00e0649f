namespace ImapProxy.Store.Mime;

/// <summary>Limits that keep the parser's memory bounded on hostile input.</summary>
public sealed record MimeParserLimits
{
    /// <summary>Deepest nesting of multiparts and message/rfc822 parts; deeper ones are leaves (Dovecot uses 100).</summary>
    public int MaxDepth { get; init; } = 100;

    /// <summary>Most parts in one message; further boundaries are plain body text (Dovecot uses 10000).</summary>
    public int MaxParts { get; init; } = 10000;

    /// <summary>Header bytes kept per part for field parsing (beyond it only Content-* and MIME-Version); the ranges stay exact regardless.</summary>
    public int MaxHeaderBytes { get; init; } = 1024 * 1024;

    /// <summary>Bytes kept of one header field; the rest of a longer field is dropped.</summary>
    public int MaxFieldBytes { get; init; } = 512 * 1024;

    /// <summary>The defaults.</summary>
    public static MimeParserLimits Default { get; } = new();
}

/// <summary>
/// Streaming MIME parser (RFC 5322, RFC 2045–2046): one pass over the message, memory bounded by its structure,
/// tolerant of malformed mail in the ways Dovecot is (missing boundaries, no blank line, LF or CRLF or both).
/// </summary>
internal sealed partial class MimeParser
{
    private readonly MimeParserLimits limits;
    private readonly List<OpenPart> open = [];
    private readonly List<(byte[] Boundary, OpenPart Owner)> boundaries = [];
    private Position position;
    private Position previousContentEnd;
    private int partCount = 1;

    private MimeParser(MimeParserLimits limits) => this.limits = limits;

    /// <summary>Parses a whole message into its part tree.</summary>
    public static async ValueTask<MimeStructure> ParseAsync(Stream message, MimeParserLimits? limits, CancellationToken ct)
    {
        var parser = new MimeParser(limits ?? MimeParserLimits.Default);
        var root = new MimePart { IsMime = false };
        parser.open.Add(new OpenPart(root, default, isMessage: true, parser.limits));
        using var reader = new LineReader(message);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            parser.OnSegment(reader);
        }
        parser.CloseDownTo(0, parser.position);
        return new MimeStructure(root, parser.position.Raw, parser.position.Raw + parser.position.BareLf);
    }

    private void OnSegment(LineReader reader)
    {
        var content = reader.Content.Span;
        var lineStart = position;
        var contentEnd = lineStart.Advance(content.Length, 0);
        var lineEnd = contentEnd.Advance(reader.TerminatorLength, reader.TerminatorLength);

        var current = open[^1];
        if (reader.AtLineStart && boundaries.Count > 0 && content.Length >= 2 && content[0] == '-' && content[1] == '-')
        {
            int match = FindBoundary(content[2..]);
            if (match >= 0)
            {
                OnBoundary(match, content, lineStart, lineEnd);
                Commit(contentEnd, lineEnd, reader.TerminatorLength);
                return;
            }
        }

        if (current.InHeader)
        {
            if (reader.AtLineStart && content.Length == 0 && reader.TerminatorLength > 0)
            {
                EndHeader(current, lineEnd);
            }
            else
            {
                current.Header?.AddSegment(content, reader.AtLineStart, reader.TerminatorLength > 0);
            }
        }
        Commit(contentEnd, lineEnd, reader.TerminatorLength);
    }

    private void Commit(Position contentEnd, Position lineEnd, int terminatorLength)
    {
        if (terminatorLength > 0)
        {
            previousContentEnd = contentEnd;
        }
        else
        {
            previousContentEnd = lineEnd;
        }
        position = lineEnd;
    }

    /// <summary>The innermost boundary this line starts with; the longest when several match (RFC 2046 §5.1.2).</summary>
    private int FindBoundary(ReadOnlySpan<byte> afterDashes)
    {
        int best = -1;
        for (int i = boundaries.Count - 1; i >= 0; i--)
        {
            var b = boundaries[i].Boundary;
            if (afterDashes.StartsWith(b) && (best < 0 || boundaries[best].Boundary.Length < b.Length))
            {
                best = i;
            }
        }
        return best;
    }

    private void OnBoundary(int boundaryIndex, ReadOnlySpan<byte> line, Position lineStart, Position lineEnd)
    {
        var owner = boundaries[boundaryIndex].Owner;
        int ownerIndex = open.IndexOf(owner);
        // The line end before a boundary belongs to the boundary (RFC 2046 §5.1.1), so parts end before it;
        // but never before the start of the innermost open content (a header, a body, an epilogue): a line end
        // that already ended a boundary line is not taken again (as Dovecot 2.3 counts it).
        var end = Max(previousContentEnd, open[^1].ContentFloor);
        CloseDownTo(ownerIndex + 1, end);
        boundaries.RemoveRange(boundaryIndex + 1, boundaries.Count - boundaryIndex - 1);

        int after = 2 + boundaries[boundaryIndex].Boundary.Length;
        bool close = line.Length >= after + 2 && line[after] == '-' && line[after + 1] == '-';
        if (owner.InHeader)
        {
            // A boundary inside the multipart's own header: it had no blank line. Treat the header as over.
            EndHeader(owner, lineStart);
        }
        if (close)
        {
            boundaries.RemoveAt(boundaryIndex);
            owner.BodyFloor = lineEnd;
            return;
        }
        if (partCount >= limits.MaxParts)
        {
            return;
        }
        partCount++;
        var child = new MimePart { IsMime = true };
        owner.Part.AddChild(child);
        var openChild = new OpenPart(child, lineEnd, isMessage: false, limits)
        {
            DefaultRfc822 = owner.ChildrenDefaultToRfc822,
        };
        open.Add(openChild);
    }

    /// <summary>Closes every open part from index on (innermost first) at the given end.</summary>
    private void CloseDownTo(int index, Position end)
    {
        for (int i = open.Count - 1; i >= index; i--)
        {
            var part = open[i];
            Close(part, end);
            open.RemoveAt(i);
            boundaries.RemoveAll(b => b.Owner == part);
        }
    }

    private void Close(OpenPart part, Position end)
    {
        if (part.InHeader)
        {
            EndHeader(part, Max(end, part.HeaderStart), headerOnly: true);
        }
        var bodyEnd = Max(end, part.BodyStart);
        var p = part.Part;
        p.BodyLength = bodyEnd.Raw - part.BodyStart.Raw;
        p.BodySize = p.BodyLength + (bodyEnd.BareLf - part.BodyStart.BareLf);
        p.BodyLines = (int)(bodyEnd.Lf - part.BodyStart.Lf);
    }

    private static Position Max(Position a, Position b) => a.Raw >= b.Raw ? a : b;
}
