using System.Globalization;
using System.Text;

namespace ImapProxy.TestSupport;

/// <summary>
/// Splits one direction of an IMAP byte stream into its protocol lines, fed chunk by chunk as it passes a relay.
/// Literal contents (<c>{n}</c>, <c>{n+}</c>, <c>~{n}</c>) are skipped, so a message body never shows up as lines; a
/// line is reported without its CRLF, and a command with a literal shows as the text up to the literal and again as
/// the text after it.
/// </summary>
public sealed class ImapLineScanner
{
    // Long enough for any command or status line the tests look at; longer lines are truncated, never buffered whole.
    private const int MaxLine = 8 * 1024;

    private readonly StringBuilder _line = new();
    private long _literalLeft;

    /// <summary>The complete lines that end within <paramref name="chunk"/>, in order.</summary>
    public List<string> Feed(ReadOnlySpan<byte> chunk)
    {
        var lines = new List<string>();
        var i = 0;
        while (i < chunk.Length)
        {
            if (_literalLeft > 0)
            {
                var skip = (int)Math.Min(_literalLeft, chunk.Length - i);
                _literalLeft -= skip;
                i += skip;
                continue;
            }
            var b = chunk[i++];
            if (b != '\n')
            {
                if (_line.Length < MaxLine)
                {
                    _line.Append((char)b);
                }
                continue;
            }
            var line = _line.ToString().TrimEnd('\r');
            _line.Clear();
            _literalLeft = LiteralLength(line);
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>The length of the literal announced at the end of <paramref name="line"/>, or 0.</summary>
    private static long LiteralLength(string line)
    {
        if (!line.EndsWith('}'))
        {
            return 0;
        }
        var open = line.LastIndexOf('{');
        if (open < 0)
        {
            return 0;
        }
        var digits = line.AsSpan(open + 1, line.Length - open - 2).TrimEnd('+').TrimEnd('-');
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }
}
