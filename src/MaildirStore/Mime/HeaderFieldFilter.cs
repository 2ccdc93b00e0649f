namespace ImapProxy.Store.Mime;

/// <summary>
/// HEADER.FIELDS and HEADER.FIELDS.NOT: the header lines of the chosen fields (a field's continuation lines go
/// with it), CRLF line ends. Like Dovecot 2.3: HEADER.FIELDS always ends in CRLF and a blank line; .NOT keeps the
/// header's own ending (no blank line if the header had none).
/// </summary>
internal static class HeaderFieldFilter
{
    public static async ValueTask<byte[]> FilterAsync(Stream message, MimePart part, IReadOnlyList<string> names, bool exclude, CancellationToken ct)
    {
        var wanted = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        var output = new MemoryStream();
        message.Seek(part.HeaderOffset, SeekOrigin.Begin);
        using var reader = new LineReader(new BoundedReadStream(message, part.HeaderLength));
        bool include = false;
        bool sawBlankLine = false;
        bool lastLineOpen = false;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var content = reader.Content.Span;
            if (reader.AtLineStart)
            {
                if (content.Length == 0 && reader.TerminatorLength > 0)
                {
                    sawBlankLine = true;
                    break;
                }
                if (content[0] is not ((byte)' ' or (byte)'\t'))
                {
                    include = wanted.Contains(FieldName(content)) != exclude;
                }
            }
            if (!include)
            {
                continue;
            }
            var normalized = new byte[content.Length];
            bool previousCr = false;
            SectionContent.Normalize(content, normalized, ref previousCr, replaceNul: true);
            output.Write(normalized);
            if (reader.TerminatorLength > 0)
            {
                output.Write("\r\n"u8);
            }
            lastLineOpen = reader.TerminatorLength == 0;
        }
        if (!exclude)
        {
            if (lastLineOpen)
            {
                output.Write("\r\n"u8);
            }
            output.Write("\r\n"u8);
        }
        else if (sawBlankLine)
        {
            output.Write("\r\n"u8);
        }
        return output.ToArray();
    }

    /// <summary>The field name: text before the colon without trailing whitespace; the whole line if no colon.</summary>
    private static string FieldName(ReadOnlySpan<byte> line)
    {
        int colon = line.IndexOf((byte)':');
        var name = colon < 0 ? line : line[..colon];
        while (name.Length > 0 && name[^1] is (byte)' ' or (byte)'\t')
        {
            name = name[..^1];
        }
        return HeaderField.Latin1.GetString(name);
    }

    /// <summary>Reads at most a given number of bytes from the current position of an inner stream.</summary>
    private sealed class BoundedReadStream(Stream inner, long limit) : Stream
    {
        private long remaining = limit;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (remaining <= 0)
            {
                return 0;
            }
            int read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining)], ct).ConfigureAwait(false);
            remaining -= read;
            return read;
        }
    }
}
