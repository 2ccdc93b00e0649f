using System.Runtime.CompilerServices;

namespace ImapProxy.Protocol;

/// <summary>
/// Gathers the items of one list being parsed, so that a list costs one exact-size array (the value returned) and
/// nothing else. The first <see cref="InlineCount"/> items live in the caller's stack frame: stores there need no GC
/// write barrier, which a shared heap scratch array paid on every item (and it made each gen0 collection scan its
/// cards). Longer lists, rare in practice (a multipart with many parts), spill to a growing array.
/// </summary>
internal struct ValueCollector
{
    /// <summary>Items kept inline before spilling.</summary>
    public const int InlineCount = 16;

    private InlineItems _inline;
    private ImapValue[]? _spill;
    private int _count;

    /// <summary>Number of items added.</summary>
    public readonly int Count => _count;

    /// <summary>Appends an item.</summary>
    public void Add(in ImapValue value)
    {
        if (_count < InlineCount)
        {
            _inline[_count++] = value;
            return;
        }
        var at = _count - InlineCount;
        if (_spill is null) _spill = new ImapValue[InlineCount];
        else if (at == _spill.Length) Array.Resize(ref _spill, _spill.Length * 2);
        _spill[at] = value;
        _count++;
    }

    /// <summary>The items as a new array of exactly <see cref="Count"/> values.</summary>
    public readonly ImapValue[] ToArray()
    {
        if (_count == 0) return [];
        var result = new ImapValue[_count];
        ReadOnlySpan<ImapValue> inline = _inline;
        inline[..Math.Min(_count, InlineCount)].CopyTo(result);
        if (_count > InlineCount) _spill.AsSpan(0, _count - InlineCount).CopyTo(result.AsSpan(InlineCount));
        return result;
    }

    [InlineArray(InlineCount)]
    private struct InlineItems
    {
        private ImapValue _item;
    }
}
