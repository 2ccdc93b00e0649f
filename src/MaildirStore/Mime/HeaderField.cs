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
internal sealed class HeaderCollector(int maxBytes, int maxFieldBytes)
{
    private readonly StringBuilder text = new();
    private bool keepField = true;
    private int fieldLength;

    public void AddSegment(ReadOnlySpan<byte> content, bool atLineStart, bool endsLine)
    {
        if (atLineStart && content.Length > 0 && content[0] is not ((byte)' ' or (byte)'\t'))
        {
            fieldLength = 0;
            keepField = text.Length < maxBytes || IsStructural(content);
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
        text.Append(HeaderField.Latin1.GetString(piece));
        fieldLength += piece.Length;
        if (endsLine)
        {
            text.Append('\n');
        }
    }

    private static bool IsStructural(ReadOnlySpan<byte> line) =>
        line.StartsWith("Content-"u8) || line.StartsWith("content-"u8) || line.StartsWith("CONTENT-"u8)
        || line.StartsWith("MIME-Version"u8) || line.StartsWith("Mime-Version"u8) || line.StartsWith("MIME-VERSION"u8);

    public List<HeaderField> ToFields() => HeaderFieldParser.Parse(text.ToString());
}

/// <summary>Splits header text (lines ended by LF) into fields.</summary>
internal static class HeaderFieldParser
{
    /// <summary>
    /// Lines starting with SP or HTAB continue the previous field (a leading one with no field before it is
    /// dropped). A line without a colon is kept as a field with that whole line as its name and an empty value,
    /// which matches no field anybody asks for.
    /// </summary>
    public static List<HeaderField> Parse(string header)
    {
        var fields = new List<HeaderField>();
        string? name = null;
        var value = new StringBuilder();
        foreach (var rawLine in header.Split('\n'))
        {
            if (rawLine.Length == 0)
            {
                continue;
            }
            if (rawLine[0] is ' ' or '\t')
            {
                if (name is not null)
                {
                    value.Append('\n').Append(rawLine);
                }
                continue;
            }
            if (name is not null)
            {
                fields.Add(new HeaderField(name, value.ToString()));
            }
            value.Clear();
            int colon = rawLine.IndexOf(':');
            if (colon < 0)
            {
                name = rawLine;
                continue;
            }
            name = rawLine[..colon].TrimEnd(' ', '\t');
            int valueStart = colon + 1;
            while (valueStart < rawLine.Length && rawLine[valueStart] is ' ' or '\t')
            {
                valueStart++;
            }
            value.Append(rawLine, valueStart, rawLine.Length - valueStart);
        }
        if (name is not null)
        {
            fields.Add(new HeaderField(name, value.ToString()));
        }
        return fields;
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
