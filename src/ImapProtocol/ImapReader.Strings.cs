using System.Buffers;
using System.Text;

namespace ImapProxy.Protocol;

public ref partial struct ImapReader
{
    private static readonly SearchValues<byte> QuotedStops = SearchValues.Create("\"\\\r\n\0"u8);

    /// <summary>quoted = DQUOTE *QUOTED-CHAR DQUOTE, unescaped. 8-bit (UTF-8) bytes are accepted (RFC 9051).</summary>
    public ParseStatus TryReadQuoted(out ReadOnlyMemory<byte> value)
    {
        value = default;
        var s = TryReadByte((byte)'"', "DQUOTE");
        if (s != ParseStatus.Ok) return s;
        var start = _r.Consumed;
        var escaped = false;
        while (true)
        {
            var span = _r.UnreadSpan;
            if (span.IsEmpty) return NeedMore();
            var i = span.IndexOfAny(QuotedStops);
            if (i < 0) { _r.Advance(span.Length); continue; }
            _r.Advance(i);
            var b = span[i];
            if (b == '"') break;
            if (b != '\\') return Fail($"{Describe(b)} inside a quoted string");
            if (!_r.TryPeek(1, out var next)) return NeedMore();
            if (next != '"' && next != '\\') return Fail($"bad escape \\{(char)next} in a quoted string");
            escaped = true;
            _r.Advance(2);
        }
        value = escaped ? Unescape(_r.SliceFrom(start)) : _r.MemoryFrom(start);
        _r.Advance(1);
        return ParseStatus.Ok;
    }

    private static byte[] Unescape(in ReadOnlySequence<byte> raw)
    {
        var src = raw.IsSingleSegment ? raw.FirstSpan : raw.ToArray();
        var dst = new byte[src.Length];
        var n = 0;
        for (var i = 0; i < src.Length; i++)
        {
            if (src[i] == '\\') i++;
            dst[n++] = src[i];
        }
        return n == dst.Length ? dst : dst.AsSpan(0, n).ToArray();
    }

    /// <summary>literal = "{" number64 ["+"] "}" CRLF *CHAR8, or literal8 = "~{" number64 ["+"] "}" CRLF *OCTET.
    /// NeedMoreData while the literal's bytes have not all arrived.</summary>
    public ParseStatus TryReadLiteral(out ImapValue value)
    {
        value = default;
        var flags = LiteralFlags.None;
        if (!_r.TryPeek(out var b)) return NeedMore();
        if (b == '~') { flags |= LiteralFlags.Binary; _r.Advance(1); }
        var s = TryReadByte((byte)'{', "literal");
        if (s != ParseStatus.Ok) return s;
        s = TryReadNumber64(out var size);
        if (s != ParseStatus.Ok) return s;
        if (!_r.TryPeek(out b)) return NeedMore();
        if (b == '+') { flags |= LiteralFlags.NonSynchronizing; _r.Advance(1); }
        if ((s = TryReadByte((byte)'}', "'}'")) != ParseStatus.Ok) return s;
        if ((s = TryReadCrlf()) != ParseStatus.Ok) return s;
        if (_streamedLiterals is not null && Array.IndexOf(_streamedLiterals, _r.Consumed) >= 0)
        {
            value = new ImapValue(ImapValueKind.Literal, default, null, flags | LiteralFlags.Streamed, (long)size);
            return CountValue();
        }
        if ((long)size > _options.MaxLiteralSize)
            return Fail($"literal of {size} bytes exceeds the limit of {_options.MaxLiteralSize}");
        if (_r.Remaining < (long)size) return ParseStatus.NeedMoreData;
        var start = _r.Consumed;
        _r.Advance((long)size);
        _literalBytes += (long)size;
        value = new ImapValue(ImapValueKind.Literal, _r.MemoryFrom(start), null, flags);
        return CountValue();
    }

    /// <summary>string = quoted / literal.</summary>
    public ParseStatus TryReadString(out ImapValue value)
    {
        value = default;
        if (!_r.TryPeek(out var b)) return NeedMore();
        if (b == '"')
        {
            var s = TryReadQuoted(out var q);
            if (s == ParseStatus.Ok) value = new ImapValue(ImapValueKind.Quoted, q);
            return s == ParseStatus.Ok ? CountValue() : s;
        }
        if (b == '{' || b == '~') return TryReadLiteral(out value);
        return Fail($"expected a string, found {Describe(b)}");
    }

    /// <summary>string = quoted / literal, as bytes.</summary>
    public ParseStatus TryReadString(out ReadOnlyMemory<byte> value)
    {
        var s = TryReadString(out ImapValue v);
        value = v.Bytes;
        return s;
    }

    /// <summary>astring = 1*ASTRING-CHAR / string.</summary>
    public ParseStatus TryReadAstring(out ReadOnlyMemory<byte> value)
    {
        value = default;
        if (!_r.TryPeek(out var b)) return NeedMore();
        if (b == '"' || b == '{' || (b == '~' && _r.TryPeek(1, out var b1) && b1 == '{'))
            return TryReadString(out value);
        if (b == '~' && !_r.TryPeek(1, out _)) return NeedMore();
        var s = TryReadToken(ImapChars.Astring, "astring", out var seq);
        if (s == ParseStatus.Ok) value = Materialize(seq);
        return s;
    }

    /// <summary>astring, decoded as UTF-8.</summary>
    public ParseStatus TryReadAstring(out string value)
    {
        var s = TryReadAstring(out ReadOnlyMemory<byte> bytes);
        value = s == ParseStatus.Ok ? Encoding.UTF8.GetString(bytes.Span) : "";
        return s;
    }

    /// <summary>nstring = string / NIL; <paramref name="isNil"/> tells NIL from an empty string.</summary>
    public ParseStatus TryReadNstring(out ReadOnlyMemory<byte> value, out bool isNil)
    {
        value = default;
        isNil = false;
        if (!_r.TryPeek(out var b)) return NeedMore();
        if (b == 'N' || b == 'n')
        {
            var s = TryReadKeyword("NIL");
            isNil = s == ParseStatus.Ok;
            return s;
        }
        return TryReadString(out value);
    }

    /// <summary>nstring, decoded as UTF-8; null for NIL.</summary>
    public ParseStatus TryReadNstring(out string? value)
    {
        var s = TryReadNstring(out var bytes, out var isNil);
        value = s != ParseStatus.Ok || isNil ? null : Encoding.UTF8.GetString(bytes.Span);
        return s;
    }

    private ParseStatus CountValue()
    {
        if (++_values > _options.MaxValues) return Fail($"more than {_options.MaxValues} values");
        return ParseStatus.Ok;
    }
}
