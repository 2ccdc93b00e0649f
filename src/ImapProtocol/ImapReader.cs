using System.Buffers;
using System.Text;

namespace ImapProxy.Protocol;

/// <summary>
/// A resumable, allocation-light reader of IMAP grammar over a <see cref="ReadOnlySequence{T}"/>, in the style of
/// Kestrel's HTTP parser: every <c>TryRead…</c> method is named after an ABNF rule of RFC 3501/9051, and returns
/// <see cref="ParseStatus.Ok"/> (reader advanced past the element), <see cref="ParseStatus.NeedMoreData"/> (the input
/// ends inside the element: re-parse from its start with more bytes) or <see cref="ParseStatus.Error"/> (see
/// <see cref="ErrorMessage"/>). It keeps no state worth resuming: the caller restarts from the element's start.
/// Values handed out reference the input when it is one segment, and are copied once otherwise.
/// </summary>
public ref partial struct ImapReader
{
    private ByteCursor _r;
    private readonly ImapParserOptions _options;
    private readonly long[]? _streamedLiterals;
    private int _depth;
    private int _values;
    private long _literalBytes;

    /// <summary>Creates a reader over <paramref name="input"/>.</summary>
    /// <param name="input">The bytes to parse.</param>
    /// <param name="options">Limits; <see cref="ImapParserOptions.Default"/> when null.</param>
    public ImapReader(ReadOnlySequence<byte> input, ImapParserOptions? options = null)
        : this(input, options, null)
    {
    }

    internal ImapReader(ReadOnlySequence<byte> input, ImapParserOptions? options, long[]? streamedLiterals)
    {
        _r = new ByteCursor(input);
        _options = options ?? ImapParserOptions.Default;
        _streamedLiterals = streamedLiterals;
        ErrorMessage = null;
    }

    /// <summary>Creates a reader over one contiguous buffer.</summary>
    public ImapReader(ReadOnlyMemory<byte> input, ImapParserOptions? options = null)
        : this(new ReadOnlySequence<byte>(input), options, null)
    {
    }

    /// <summary>Why the last method answered <see cref="ParseStatus.Error"/>.</summary>
    public string? ErrorMessage { get; private set; }

    /// <summary>Bytes consumed from the start of the input.</summary>
    public readonly long Consumed => _r.Consumed;

    /// <summary>The current position in the input.</summary>
    public readonly SequencePosition Position => _r.Position;

    /// <summary>True when every byte has been consumed.</summary>
    public readonly bool End => _r.End;

    /// <summary>The input.</summary>
    public readonly ReadOnlySequence<byte> Sequence => _r.Sequence;

    /// <summary>The options in force.</summary>
    public readonly ImapParserOptions Options => _options;

    /// <summary>Moves back to an earlier position, given as a <see cref="Consumed"/> value.</summary>
    public void Restore(long consumed)
    {
        if (consumed > _r.Consumed) throw new ArgumentOutOfRangeException(nameof(consumed));
        _r.Rewind(_r.Consumed - consumed);
    }

    /// <summary>Peeks at the next byte without consuming it.</summary>
    public readonly bool TryPeek(out byte value) => _r.TryPeek(out value);

    /// <summary>Reads exactly one SP.</summary>
    public ParseStatus TryReadSpace() => TryReadByte((byte)' ', "SP");

    /// <summary>Reads CRLF (a bare LF is tolerated, as most servers do).</summary>
    public ParseStatus TryReadCrlf()
    {
        if (!_r.TryPeek(out var b)) return NeedMore();
        if (b == '\n') { _r.Advance(1); return ParseStatus.Ok; }
        if (b != '\r') return Fail($"expected CRLF, found {Describe(b)}");
        if (!_r.TryPeek(1, out var lf)) return NeedMore();
        if (lf != '\n') return Fail("expected LF after CR");
        _r.Advance(2);
        return ParseStatus.Ok;
    }

    /// <summary>Reads one given byte.</summary>
    public ParseStatus TryReadByte(byte expected, string what)
    {
        if (!_r.TryPeek(out var b)) return NeedMore();
        if (b != expected) return Fail($"expected {what}, found {Describe(b)}");
        _r.Advance(1);
        return ParseStatus.Ok;
    }

    /// <summary>Answers whether the next byte is <paramref name="value"/>; NeedMoreData when no byte is there.</summary>
    public ParseStatus TryPeekIs(byte value, out bool isIt)
    {
        isIt = false;
        if (!_r.TryPeek(out var b)) return NeedMore();
        isIt = b == value;
        return ParseStatus.Ok;
    }

    /// <summary>Answers whether the line ends here (CR or LF next).</summary>
    public ParseStatus TryPeekEndOfLine(out bool isEnd)
    {
        isEnd = false;
        if (!_r.TryPeek(out var b)) return NeedMore();
        isEnd = b == '\r' || b == '\n';
        return ParseStatus.Ok;
    }

    /// <summary>atom = 1*ATOM-CHAR.</summary>
    public ParseStatus TryReadAtom(out ReadOnlySequence<byte> atom) => TryReadToken(ImapChars.Atom, "atom", out atom);

    /// <summary>atom = 1*ATOM-CHAR, as a string.</summary>
    public ParseStatus TryReadAtom(out string atom)
    {
        var s = TryReadAtom(out ReadOnlySequence<byte> seq);
        atom = s == ParseStatus.Ok ? Ascii(seq) : "";
        return s;
    }

    /// <summary>tag = 1*&lt;any ASTRING-CHAR except "+"&gt;.</summary>
    public ParseStatus TryReadTag(out string tag)
    {
        var s = TryReadToken(ImapChars.Tag, "tag", out var seq);
        tag = s == ParseStatus.Ok ? Ascii(seq) : "";
        return s;
    }

    /// <summary>Reads a case-insensitive keyword such as "NIL" or "UID" followed by a non-atom byte.</summary>
    public ParseStatus TryReadKeyword(string keyword)
    {
        var start = _r.Consumed;
        var s = TryReadAtom(out ReadOnlySequence<byte> atom);
        if (s != ParseStatus.Ok) return s;
        if (EqualsIgnoreCase(atom, keyword)) return ParseStatus.Ok;
        Restore(start);
        return Fail($"expected {keyword}");
    }

    /// <summary>number = 1*DIGIT, within 32 bits unsigned.</summary>
    public ParseStatus TryReadNumber(out uint value)
    {
        var s = TryReadNumber64(out var v);
        value = (uint)v;
        if (s == ParseStatus.Ok && v > uint.MaxValue) return Fail("number out of range");
        return s;
    }

    /// <summary>nz-number = digit-nz *DIGIT.</summary>
    public ParseStatus TryReadNzNumber(out uint value)
    {
        var s = TryReadNumber(out value);
        if (s == ParseStatus.Ok && value == 0) return Fail("expected a non-zero number");
        return s;
    }

    /// <summary>number64 = 1*DIGIT within 63 bits (RFC 9051; mod-sequence-value of RFC 7162).</summary>
    public ParseStatus TryReadNumber64(out ulong value)
    {
        value = 0;
        var digits = 0;
        while (true)
        {
            if (!_r.TryPeek(out var b)) return NeedMore();
            if (b < '0' || b > '9') break;
            if (++digits > 19) return Fail("number too long");
            value = value * 10 + (ulong)(b - '0');
            _r.Advance(1);
        }
        if (digits == 0) return Fail("expected a number");
        if (value > long.MaxValue) return Fail("number out of range");
        return IsAtomEnd();
    }

    /// <summary>Reads 1*c of a character class; NeedMoreData when the input ends inside it.</summary>
    internal ParseStatus TryReadToken(SearchValues<byte> chars, string what, out ReadOnlySequence<byte> token)
    {
        token = default;
        var start = _r.Consumed;
        long length = 0;
        while (true)
        {
            var span = _r.UnreadSpan;
            if (span.IsEmpty) return NeedMore();
            var i = span.IndexOfAnyExcept(chars);
            if (i < 0)
            {
                length += span.Length;
                _r.Advance(span.Length);
                continue;
            }
            length += i;
            _r.Advance(i);
            break;
        }
        if (length == 0)
        {
            _r.TryPeek(out var b);
            return Fail($"expected {what}, found {Describe(b)}");
        }
        token = _r.SliceFrom(start);
        return ParseStatus.Ok;
    }

    private readonly ParseStatus IsAtomEnd()
    {
        if (!_r.TryPeek(out _)) return NeedMoreStatic();
        return ParseStatus.Ok;
    }

    /// <summary>Records an error and answers <see cref="ParseStatus.Error"/>.</summary>
    public ParseStatus Fail(string message)
    {
        ErrorMessage = message;
        return ParseStatus.Error;
    }

    /// <summary>NeedMoreData, unless the bytes waited on already break the line-length limit.</summary>
    internal ParseStatus NeedMore()
    {
        if (_r.Length - _literalBytes > _options.MaxLineLength)
            return Fail($"line longer than {_options.MaxLineLength} bytes");
        return ParseStatus.NeedMoreData;
    }

    private static ParseStatus NeedMoreStatic() => ParseStatus.NeedMoreData;

    internal static string Describe(byte b) => b switch
    {
        (byte)'\r' => "CR",
        (byte)'\n' => "LF",
        (byte)' ' => "SP",
        >= 0x21 and < 0x7f => $"'{(char)b}'",
        _ => $"0x{b:X2}",
    };

    internal static string Ascii(in ReadOnlySequence<byte> seq) =>
        seq.IsSingleSegment ? Encoding.ASCII.GetString(seq.FirstSpan) : Encoding.ASCII.GetString(seq.ToArray());

    internal static ReadOnlyMemory<byte> Materialize(in ReadOnlySequence<byte> seq) =>
        seq.IsSingleSegment ? seq.First : seq.ToArray();

    internal static bool EqualsIgnoreCase(in ReadOnlySequence<byte> seq, string keyword)
    {
        if (seq.Length != keyword.Length) return false;
        Span<byte> tmp = stackalloc byte[64];
        scoped ReadOnlySpan<byte> span;
        if (seq.IsSingleSegment) span = seq.FirstSpan;
        else if (keyword.Length <= 64) { seq.CopyTo(tmp); span = tmp[..keyword.Length]; }
        else span = seq.ToArray();
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c >= 'a' && c <= 'z') c -= 32;
            var k = keyword[i];
            if (k >= 'a' && k <= 'z') k = (char)(k - 32);
            if (c != k) return false;
        }
        return true;
    }
}

public ref partial struct ImapReader
{
    /// <summary>Skips bytes the caller already knows (e.g. a command's tag and name).</summary>
    internal void Skip(long count) => _r.Advance(count);
}
