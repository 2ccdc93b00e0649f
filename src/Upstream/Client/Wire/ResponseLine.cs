using System.Buffers.Text;
using System.Text;

namespace ImapProxy.Upstream.Client.Wire;

/// <summary>What kind of response a frame holds.</summary>
internal enum ResponseKind : byte
{
    /// <summary><c>+ …</c>: go on sending.</summary>
    Continuation,

    /// <summary><c>* …</c>: data or status not tied to a command.</summary>
    Untagged,

    /// <summary><c>tag OK|NO|BAD …</c>: a command is complete.</summary>
    Tagged,
}

/// <summary>
/// The head of a response: kind, tag, the number of <c>* n KEYWORD</c>, the keyword, and for status responses the
/// response code and text. Just enough to route it; the data after the keyword is parsed by the command that
/// asked for it.
/// </summary>
internal readonly struct ResponseLine
{
    private ResponseLine(ResponseKind kind, string? tag, long number, string keyword, int restStart)
    {
        Kind = kind;
        Tag = tag;
        Number = number;
        Keyword = keyword;
        RestStart = restStart;
    }

    public ResponseKind Kind { get; }

    /// <summary>The tag of a tagged response.</summary>
    public string? Tag { get; }

    /// <summary>The number of <c>* n EXISTS</c> and the like; -1 when absent.</summary>
    public long Number { get; }

    /// <summary>Upper-cased keyword: OK, NO, BAD, BYE, PREAUTH, CAPABILITY, EXISTS, FETCH, LIST, ...</summary>
    public string Keyword { get; }

    /// <summary>Offset of what follows the keyword and its space.</summary>
    public int RestStart { get; }

    public bool IsStatus => Keyword is "OK" or "NO" or "BAD" or "BYE" or "PREAUTH";

    /// <summary>Splits the head of a frame; throws <see cref="ImapProtocolException"/> when it is not IMAP.</summary>
    public static ResponseLine Parse(ReadOnlySpan<byte> frame)
    {
        if (frame.Length >= 1 && frame[0] == (byte)'+') return new(ResponseKind.Continuation, null, -1, "+", Math.Min(2, frame.Length));
        var space = frame.IndexOf((byte)' ');
        if (space <= 0) throw Bad(frame);
        var first = frame[..space];
        var pos = space + 1;
        if (first.SequenceEqual("*"u8))
        {
            long number = -1;
            if (pos < frame.Length && IsDigit(frame[pos]))
            {
                if (!Utf8Parser.TryParse(frame[pos..], out number, out var used) || pos + used >= frame.Length || frame[pos + used] != (byte)' ')
                    throw Bad(frame);
                pos += used + 1;
            }
            var (keyword, rest) = ReadKeyword(frame, pos);
            if (keyword.Length == 0) throw Bad(frame);
            return new(ResponseKind.Untagged, null, number, keyword, rest);
        }
        foreach (var b in first)
            if (b <= 0x20 || b >= 0x7f || b is (byte)'(' or (byte)')' or (byte)'{' or (byte)'"' or (byte)'\\') throw Bad(frame);
        var (status, restOfTagged) = ReadKeyword(frame, pos);
        if (status is not ("OK" or "NO" or "BAD")) throw Bad(frame);
        return new(ResponseKind.Tagged, Encoding.ASCII.GetString(first), -1, status, restOfTagged);
    }

    /// <summary>For a status response: the response code (inside the brackets, if any) and the text.</summary>
    public (string? Code, string Text) StatusText(ReadOnlySpan<byte> frame)
    {
        var rest = TrimCrlf(frame[Math.Min(RestStart, frame.Length)..]);
        string? code = null;
        if (rest.Length > 0 && rest[0] == (byte)'[')
        {
            var close = rest.IndexOf((byte)']');
            if (close < 0) throw Bad(frame);
            code = Encoding.UTF8.GetString(rest[1..close]);
            rest = rest[(close + 1)..].TrimStart((byte)' ');
        }
        return (code, Encoding.UTF8.GetString(rest));
    }

    /// <summary>The bytes after the keyword, without the final CRLF.</summary>
    public ReadOnlySpan<byte> Rest(ReadOnlySpan<byte> frame) => TrimCrlf(frame[Math.Min(RestStart, frame.Length)..]);

    private static (string Keyword, int After) ReadKeyword(ReadOnlySpan<byte> frame, int pos)
    {
        var start = pos;
        while (pos < frame.Length && frame[pos] is not ((byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'[' or (byte)'(')) pos++;
        var word = frame[start..pos];
        if (word.Length > 32) throw Bad(frame);
        var keyword = KnownKeyword(word) ?? Encoding.ASCII.GetString(word).ToUpperInvariant();
        if (pos < frame.Length && frame[pos] == (byte)' ') pos++;
        return (keyword, pos);
    }

    // The common keywords are interned, so routing does not allocate a string per FETCH.
    private static string? KnownKeyword(ReadOnlySpan<byte> word)
    {
        if (word.SequenceEqual("FETCH"u8)) return "FETCH";
        if (word.SequenceEqual("OK"u8)) return "OK";
        if (word.SequenceEqual("EXISTS"u8)) return "EXISTS";
        if (word.SequenceEqual("EXPUNGE"u8)) return "EXPUNGE";
        if (word.SequenceEqual("LIST"u8)) return "LIST";
        return null;
    }

    private static ReadOnlySpan<byte> TrimCrlf(ReadOnlySpan<byte> s)
    {
        if (s.EndsWith("\n"u8)) s = s[..^1];
        if (s.EndsWith("\r"u8)) s = s[..^1];
        return s;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static ImapProtocolException Bad(ReadOnlySpan<byte> frame)
        => new($"server sent something that is not an IMAP response: {Preview(frame)}");

    /// <summary>A short printable excerpt of server data for error messages.</summary>
    public static string Preview(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes[..Math.Min(bytes.Length, 80)])
            sb.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        if (bytes.Length > 80) sb.Append('…');
        return sb.ToString();
    }
}
