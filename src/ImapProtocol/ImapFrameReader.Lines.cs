using System.Buffers;
using System.Text;

namespace ImapProxy.Protocol;

public sealed partial class ImapFrameReader
{
    /// <summary>The tag at the start of a frame, when it is a valid one; else null.</summary>
    private string? TagOf(in ReadOnlySequence<byte> buffer)
    {
        var start = _prefix is not null ? new ReadOnlySequence<byte>(_prefix.WrittenMemory) : buffer;
        var reader = new ImapReader(start.Slice(0, Math.Min(start.Length, 256)));
        if (reader.TryReadTag(out var tag) != ParseStatus.Ok) return null;
        return reader.TryReadSpace() == ParseStatus.Ok ? tag : null;
    }

    /// <summary>True for "+ …" and for "tag OK|NO|BAD|BYE|PREAUTH …": lines whose text may end in "{n}" without
    /// announcing a literal.</summary>
    private static bool IsStatusLine(in ReadOnlySequence<byte> line)
    {
        Span<byte> head = stackalloc byte[80];
        var n = (int)Math.Min(line.Length, head.Length);
        line.Slice(0, n).CopyTo(head);
        head = head[..n];
        if (head.Length > 0 && head[0] == '+') return true;
        var sp = head.IndexOf((byte)' ');
        if (sp < 0) return false;
        var rest = head[(sp + 1)..];
        var end = rest.IndexOfAny(" \r\n"u8);
        var word = end < 0 ? rest : rest[..end];
        return word.Length is 2 or 3 or 7
            && (Ascii.EqualsIgnoreCase(word, "OK"u8) || Ascii.EqualsIgnoreCase(word, "NO"u8)
                || Ascii.EqualsIgnoreCase(word, "BAD"u8) || Ascii.EqualsIgnoreCase(word, "BYE"u8)
                || Ascii.EqualsIgnoreCase(word, "PREAUTH"u8));
    }
}

/// <summary>A literal header found at the end of a line: <c>{n}</c>, <c>{n+}</c>, <c>~{n}</c> before CRLF.</summary>
internal readonly record struct LiteralHeader(bool Found, long Size, bool Synchronizing, bool Binary)
{
    /// <summary>Looks for a literal header at the end of <paramref name="line"/> (which ends with LF).</summary>
    public static LiteralHeader Find(in ReadOnlySequence<byte> line)
    {
        Span<byte> tail = stackalloc byte[32];
        var n = (int)Math.Min(line.Length, tail.Length);
        line.Slice(line.Length - n).CopyTo(tail);
        var t = tail[..n];
        var end = t.Length - 1; // the LF
        if (end > 0 && t[end - 1] == '\r') end--;
        if (end < 3 || t[end - 1] != '}') return default;
        var i = end - 2;
        var sync = true;
        if (t[i] == '+') { sync = false; i--; }
        long size = 0, scale = 1;
        var digits = 0;
        while (i >= 0 && t[i] >= '0' && t[i] <= '9')
        {
            if (++digits > 18) return default;
            size += (t[i] - '0') * scale;
            scale *= 10;
            i--;
        }
        if (digits == 0 || i < 0 || t[i] != '{') return default;
        var binary = i > 0 && t[i - 1] == '~';
        return new LiteralHeader(true, size, sync, binary);
    }
}
