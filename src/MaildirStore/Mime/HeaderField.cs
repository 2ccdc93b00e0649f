using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>
/// One header field: its name and its value exactly as in the file, unfolded to one string in which each
/// fold shows as LF followed by the continuation line's leading whitespace. Bytes map 1:1 to chars (Latin-1),
/// so 8-bit header bytes survive unchanged until someone decides on a charset.
/// </summary>
public readonly record struct HeaderField(string Name, string RawValue)
{
    /// <summary>The value with the folds removed (CR and LF dropped, as RFC 5322 §2.2.3 unfolding says).</summary>
    public string UnfoldedValue => RawValue.Contains('\n') ? RawValue.Replace("\r", "").Replace("\n", "") : RawValue;

    /// <summary>Latin-1 maps each byte to the char of the same value and back.</summary>
    internal static readonly Encoding Latin1 = Encoding.Latin1;
}

/// <summary>
/// Collects a part's header lines for field parsing, within limits: a field longer than the per-field cap is cut,
/// and once the total cap is reached only MIME structure fields (Content-*, MIME-Version) are still kept, so a
/// giant header can neither exhaust memory nor hide the Content-Type that shapes the message.
/// </summary>
/// <remarks>
/// The lines gather as bytes in a pooled buffer (LF after each line) and become strings only per field: building
/// the header as one string, then splitting it into lines and fields, made three copies of every header and was
/// the MIME parse's largest allocation during the initial sync.
/// </remarks>
internal sealed class HeaderCollector(int maxBytes, int maxFieldBytes)
{
    private byte[] text = [];
    private int length;
    private bool keepField = true;
    private int fieldLength;

    public void AddSegment(ReadOnlySpan<byte> content, bool atLineStart, bool endsLine)
    {
        if (atLineStart && content.Length > 0 && content[0] is not ((byte)' ' or (byte)'\t'))
        {
            fieldLength = 0;
            keepField = length < maxBytes || IsStructural(content);
        }
        if (!keepField)
        {
            return;
        }
        int room = maxFieldBytes - fieldLength;
        if (room <= 0)
        {
            return;
        }
        var piece = content.Length > room ? content[..room] : content;
        Append(piece, endsLine);
        fieldLength += piece.Length;
    }

    private void Append(ReadOnlySpan<byte> piece, bool endsLine)
    {
        int needed = length + piece.Length + 1;
        if (needed > text.Length)
        {
            var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(1024, text.Length * 2)));
            text.AsSpan(0, length).CopyTo(larger);
            Release();
            text = larger;
        }
        piece.CopyTo(text.AsSpan(length));
        length += piece.Length;
        if (endsLine)
        {
            text[length++] = (byte)'\n';
        }
    }

    private static bool IsStructural(ReadOnlySpan<byte> line) =>
        line.StartsWith("Content-"u8) || line.StartsWith("content-"u8) || line.StartsWith("CONTENT-"u8)
        || line.StartsWith("MIME-Version"u8) || line.StartsWith("Mime-Version"u8) || line.StartsWith("MIME-VERSION"u8);

    /// <summary>The fields collected; the collector is empty afterwards (its buffer goes back to the pool).</summary>
    public List<HeaderField> ToFields()
    {
        try
        {
            return HeaderFieldParser.Parse(text.AsSpan(0, length));
        }
        finally
        {
            Release();
            text = [];
            length = 0;
        }
    }

    private void Release()
    {
        if (text.Length > 0) System.Buffers.ArrayPool<byte>.Shared.Return(text);
    }
}

/// <summary>Splits header text (lines ended by LF, one byte per char as Latin-1) into fields.</summary>
internal static class HeaderFieldParser
{
    /// <summary>
    /// Lines starting with SP or HTAB continue the previous field (a leading one with no field before it is
    /// dropped). A line without a colon is kept as a field with that whole line as its name and an empty value,
    /// which matches no field anybody asks for. Empty lines are skipped.
    /// </summary>
    public static List<HeaderField> Parse(ReadOnlySpan<byte> header)
    {
        var fields = new List<HeaderField>();
        string? name = null;
        // The value is header[valueStart..valueEnd] while its lines follow one another; a continuation after a
        // skipped empty line makes it non-contiguous, and it is built in `spill` instead.
        int valueStart = 0, valueEnd = 0;
        StringBuilder? spill = null;
        int position = 0;
        while (position < header.Length)
        {
            int lineStart = position;
            int newline = header[lineStart..].IndexOf((byte)'\n');
            int lineEnd = newline < 0 ? header.Length : lineStart + newline;
            position = lineEnd + 1;
            var line = header[lineStart..lineEnd];
            if (line.Length == 0)
            {
                continue;
            }
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (name is null)
                {
                    continue;
                }
                if (spill is null && valueEnd == lineStart - 1)
                {
                    valueEnd = lineEnd; // the LF between the lines is the fold's LF
                }
                else
                {
                    spill ??= new StringBuilder(HeaderField.Latin1.GetString(header[valueStart..valueEnd]));
                    spill.Append('\n').Append(HeaderField.Latin1.GetString(line));
                }
                continue;
            }
            Flush(header);
            int colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                name = HeaderField.Latin1.GetString(line);
                valueStart = valueEnd = lineEnd;
                continue;
            }
            name = HeaderField.Latin1.GetString(line[..colon].TrimEnd(" \t"u8));
            int start = colon + 1;
            while (start < line.Length && line[start] is (byte)' ' or (byte)'\t')
            {
                start++;
            }
            valueStart = lineStart + start;
            valueEnd = lineEnd;
        }
        Flush(header);
        return fields;

        void Flush(ReadOnlySpan<byte> text)
        {
            if (name is not null)
            {
                fields.Add(new HeaderField(name, spill?.ToString() ?? HeaderField.Latin1.GetString(text[valueStart..valueEnd])));
            }
            name = null;
            spill = null;
        }
    }

    /// <summary>The first field of that name (case-insensitive), or null.</summary>
    public static string? First(IReadOnlyList<HeaderField> fields, string name)
    {
        foreach (var field in fields)
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return field.RawValue;
            }
        }
        return null;
    }
}
