namespace ImapProxy.Store.Mime;

/// <summary>
/// The part tree of one message file, with sizes both raw (as stored) and as IMAP counts them (CRLF line ends).
/// </summary>
public sealed class MimeStructure
{
    internal MimeStructure(MimePart root, long rawSize, long size)
    {
        Root = root;
        RawSize = rawSize;
        Size = size;
    }

    /// <summary>The message itself: its header is the message header, its body the message body.</summary>
    public MimePart Root { get; }

    /// <summary>Bytes in the file.</summary>
    public long RawSize { get; }

    /// <summary>RFC822.SIZE: bytes with every line end counted as CRLF.</summary>
    public long Size { get; }

    /// <summary>Parses a message stream (read once, forward only).</summary>
    public static ValueTask<MimeStructure> ParseAsync(Stream message, MimeParserLimits? limits = null, CancellationToken ct = default) =>
        MimeParser.ParseAsync(message, limits, ct);

    /// <summary>
    /// The part a section part-number names (RFC 3501 §6.4.5): "1.2" is <c>[1, 2]</c>. A message's part 1 is its
    /// body when that is not a multipart; numbers after a message/rfc822 part continue inside the message it holds.
    /// Returns null when there is no such part; an empty path is the root.
    /// </summary>
    public MimePart? FindPart(ReadOnlySpan<int> path)
    {
        var part = Root;
        for (int i = 0; i < path.Length; i++)
        {
            int n = path[i];
            bool more = i + 1 < path.Length;
            if (part.IsMultipart)
            {
                if (n < 1 || n > part.Children.Count)
                {
                    return null;
                }
                part = part.Children[n - 1];
            }
            else if (n != 1 || (more && !part.IsMessageRfc822))
            {
                // A non-multipart has only part 1 (itself), and only a message/rfc822 has parts below it.
                return null;
            }
            if (more && part.IsMessageRfc822 && part.Children.Count == 1)
            {
                part = part.Children[0];
            }
        }
        return part;
    }

    /// <summary>Every part, depth first, root first.</summary>
    public IEnumerable<MimePart> EnumerateParts()
    {
        var stack = new Stack<MimePart>();
        stack.Push(Root);
        while (stack.Count > 0)
        {
            var part = stack.Pop();
            yield return part;
            for (int i = part.Children.Count - 1; i >= 0; i--)
            {
                stack.Push(part.Children[i]);
            }
        }
    }
}
