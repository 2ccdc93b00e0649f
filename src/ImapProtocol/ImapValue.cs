using System.Text;

namespace ImapProxy.Protocol;

/// <summary>The syntactic kind of a generic <see cref="ImapValue"/>.</summary>
public enum ImapValueKind : byte
{
    /// <summary>NIL.</summary>
    Nil,

    /// <summary>An atom, a flag (<c>\Seen</c>), a number, a sequence set, or a FETCH item name with its section
    /// and partial (<c>BODY[HEADER.FIELDS (A B)]&lt;0.100&gt;</c>) kept as one token.</summary>
    Atom,

    /// <summary>A quoted string; <see cref="ImapValue.Bytes"/> holds it unescaped.</summary>
    Quoted,

    /// <summary>A literal <c>{n}</c>, <c>{n+}</c> or <c>~{n}</c>.</summary>
    Literal,

    /// <summary>A parenthesized list.</summary>
    List,
}

/// <summary>
/// One generic IMAP value: what a command argument or a piece of response data is, before any typed meaning is
/// given to it. Bytes reference the parsed frame (copied once from the pipe), never copied again.
/// </summary>
public readonly struct ImapValue
{
    // 24 bytes: a FETCH of ENVELOPE and BODYSTRUCTURE is mostly lists of these, so their size is most of what a
    // parsed response allocates. _object is the byte[] holding Bytes, or the ImapValue[] of a list; a streamed
    // literal keeps its size in _start/_length.
    private readonly object? _object;
    private readonly int _start;
    private readonly int _length;

    /// <summary>Creates a value.</summary>
    public ImapValue(ImapValueKind kind, ReadOnlyMemory<byte> bytes, ImapValue[]? items = null,
        LiteralFlags literalFlags = LiteralFlags.None, long streamedSize = -1)
    {
        Kind = kind;
        LiteralFlags = literalFlags;
        if (items is not null)
        {
            _object = items;
        }
        else if (streamedSize >= 0)
        {
            _start = (int)(streamedSize >> 32);
            _length = (int)streamedSize;
            LiteralFlags |= LiteralFlags.Streamed;
        }
        else if (!bytes.IsEmpty)
        {
            if (!System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment))
                segment = new ArraySegment<byte>(bytes.ToArray());
            _object = segment.Array;
            _start = segment.Offset;
            _length = segment.Count;
        }
    }

    /// <summary>An atom, quoted string or literal over <paramref name="length"/> bytes of
    /// <paramref name="array"/> at <paramref name="start"/> (the parser's fast path: no memory wrapper to unwrap).</summary>
    internal ImapValue(ImapValueKind kind, byte[] array, int start, int length)
    {
        Kind = kind;
        if (length == 0) return;
        _object = array;
        _start = start;
        _length = length;
    }

    /// <summary>NIL.</summary>
    public static ImapValue Nil => new(ImapValueKind.Nil, default);

    /// <summary>The kind of value.</summary>
    public ImapValueKind Kind { get; }

    /// <summary>The atom text, the unescaped quoted string, or the literal's bytes.</summary>
    public ReadOnlyMemory<byte> Bytes => _object is byte[] array ? new ReadOnlyMemory<byte>(array, _start, _length) : default;

    /// <summary>For a literal: how it was written (non-synchronizing, binary, streamed).</summary>
    public LiteralFlags LiteralFlags { get; }

    /// <summary>For a literal streamed past the parser (see <see cref="FrameStatus.StreamLiteral"/>): its size; else -1.
    /// Its bytes are not in <see cref="Bytes"/>; the caller consumed them.</summary>
    public long StreamedSize => (LiteralFlags & LiteralFlags.Streamed) != 0 ? ((long)_start << 32) | (uint)_length : -1;

    /// <summary>The items of a list (empty for other kinds).</summary>
    public IReadOnlyList<ImapValue> Items => _object as ImapValue[] ?? [];

    /// <summary>True for NIL.</summary>
    public bool IsNil => Kind == ImapValueKind.Nil;

    /// <summary>True for a list.</summary>
    public bool IsList => Kind == ImapValueKind.List;

    /// <summary>True for a quoted string or a literal (IMAP "string").</summary>
    public bool IsString => Kind is ImapValueKind.Quoted or ImapValueKind.Literal;

    /// <summary>True for an atom, quoted string or literal (IMAP "astring").</summary>
    public bool IsAstring => Kind is ImapValueKind.Atom or ImapValueKind.Quoted or ImapValueKind.Literal;

    /// <summary>The text as UTF-8 (invalid sequences replaced); null for NIL and lists.</summary>
    public string? AsString() => Kind is ImapValueKind.Nil or ImapValueKind.List ? null : Encoding.UTF8.GetString(Bytes.Span);

    /// <summary>True when this is an atom equal to <paramref name="keyword"/>, ignoring ASCII case.</summary>
    public bool IsAtom(string keyword)
    {
        if (Kind != ImapValueKind.Atom || _length != keyword.Length) return false;
        var span = Bytes.Span;
        for (var i = 0; i < span.Length; i++)
            if (char.ToUpperInvariant((char)span[i]) != char.ToUpperInvariant(keyword[i])) return false;
        return true;
    }

    /// <summary>Reads an atom as an unsigned number (number / number64).</summary>
    public bool TryGetNumber(out ulong value)
    {
        value = 0;
        if (Kind != ImapValueKind.Atom || Bytes.IsEmpty || Bytes.Length > 19) return false;
        foreach (var b in Bytes.Span)
        {
            if (b < '0' || b > '9') return false;
            value = value * 10 + (ulong)(b - '0');
        }
        return value <= long.MaxValue;
    }

    /// <summary>A readable rendering for logs and tests (lists in parentheses, strings quoted).</summary>
    public override string ToString() => Kind switch
    {
        ImapValueKind.Nil => "NIL",
        ImapValueKind.Atom => AsString()!,
        ImapValueKind.List => "(" + string.Join(" ", Items.Select(i => i.ToString())) + ")",
        _ when StreamedSize >= 0 => $"{{streamed {StreamedSize}}}",
        _ => "\"" + AsString()!.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
    };
}

/// <summary>How a literal was introduced.</summary>
[Flags]
public enum LiteralFlags : byte
{
    /// <summary>A plain synchronizing literal <c>{n}</c>.</summary>
    None = 0,

    /// <summary><c>{n+}</c> (LITERAL+ / LITERAL-, RFC 7888).</summary>
    NonSynchronizing = 1,

    /// <summary><c>~{n}</c> (BINARY, RFC 3516): may contain NUL.</summary>
    Binary = 2,

    /// <summary>The bytes were streamed to the caller, not kept (see <see cref="ImapValue.StreamedSize"/>).</summary>
    Streamed = 4,
}
