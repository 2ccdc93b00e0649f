using System.Buffers;
using System.Runtime.CompilerServices;

namespace ImapProxy.Protocol;

/// <summary>
/// The position of an <see cref="ImapReader"/> in its input. When the input is one contiguous segment (a whole frame
/// copied out of the pipe, the usual case) it walks a span with an index, and values are slices of the input's
/// array; otherwise it falls back to a <see cref="SequenceReader{T}"/>. <see cref="SequenceReader{T}"/> costs a few
/// field updates and checks per call, which, at dozens of tokens per FETCH response, was most of the parse time.
/// </summary>
internal ref struct ByteCursor
{
    private readonly ReadOnlySequence<byte> _sequence;
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private readonly bool _contiguous;
    private readonly byte[]? _array;
    private readonly int _arrayOffset;
    private int _pos;
    private SequenceReader<byte> _reader;

    public ByteCursor(ReadOnlySequence<byte> input)
    {
        _sequence = input;
        _contiguous = input.IsSingleSegment;
        if (_contiguous)
        {
            _memory = input.First;
            _span = _memory.Span;
            _reader = default;
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(_memory, out var segment))
            {
                _array = segment.Array;
                _arrayOffset = segment.Offset;
            }
        }
        else
        {
            _reader = new SequenceReader<byte>(input);
        }
    }

    /// <summary>The whole input.</summary>
    public readonly ReadOnlySequence<byte> Sequence => _sequence;

    /// <summary>Bytes consumed since the start of the input.</summary>
    public readonly long Consumed => _contiguous ? _pos : _reader.Consumed;

    /// <summary>The input's length.</summary>
    public readonly long Length => _contiguous ? _span.Length : _reader.Length;

    /// <summary>Bytes left.</summary>
    public readonly long Remaining => _contiguous ? _span.Length - _pos : _reader.Remaining;

    /// <summary>True when every byte has been consumed.</summary>
    public readonly bool End => _contiguous ? _pos >= _span.Length : _reader.End;

    /// <summary>The current position as a <see cref="SequencePosition"/> of <see cref="Sequence"/>.</summary>
    public readonly SequencePosition Position => _contiguous ? _sequence.GetPosition(_pos) : _reader.Position;

    /// <summary>The unread part of the current segment.</summary>
    public readonly ReadOnlySpan<byte> UnreadSpan => _contiguous ? _span[_pos..] : _reader.UnreadSpan;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool TryPeek(out byte value)
    {
        if (_contiguous)
        {
            if ((uint)_pos < (uint)_span.Length)
            {
                value = _span[_pos];
                return true;
            }
            value = 0;
            return false;
        }
        return _reader.TryPeek(out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool TryPeek(long offset, out byte value)
    {
        if (_contiguous)
        {
            var at = _pos + offset;
            if (at < _span.Length)
            {
                value = _span[(int)at];
                return true;
            }
            value = 0;
            return false;
        }
        return _reader.TryPeek(offset, out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(long count)
    {
        if (_contiguous)
        {
            if ((ulong)count > (ulong)(_span.Length - _pos)) throw new ArgumentOutOfRangeException(nameof(count));
            _pos += (int)count;
        }
        else _reader.Advance(count);
    }

    /// <summary>Moves back <paramref name="count"/> bytes.</summary>
    public void Rewind(long count)
    {
        if (_contiguous)
        {
            if ((ulong)count > (ulong)_pos) throw new ArgumentOutOfRangeException(nameof(count));
            _pos -= (int)count;
        }
        else _reader.Rewind(count);
    }

    /// <summary>The bytes from <paramref name="start"/> (a <see cref="Consumed"/> value) to here.</summary>
    public readonly ReadOnlySequence<byte> SliceFrom(long start) => _contiguous
        ? new ReadOnlySequence<byte>(_memory[(int)start.._pos])
        : _sequence.Slice(start, _reader.Consumed - start);

    /// <summary>The bytes from <paramref name="start"/> to here as memory: a slice of the input when it is
    /// contiguous, else copied once.</summary>
    public readonly ReadOnlyMemory<byte> MemoryFrom(long start) => _contiguous
        ? _memory[(int)start.._pos]
        : _sequence.Slice(start, _reader.Consumed - start).ToArray();

    /// <summary>The bytes from <paramref name="start"/> to here as a span (contiguous input only).</summary>
    public readonly ReadOnlySpan<byte> SpanFrom(long start) => _span[(int)start.._pos];

    /// <summary>True when the bytes from <paramref name="start"/> to here equal <paramref name="upper"/> (upper-case
    /// ASCII letters and other bytes), ignoring ASCII case.</summary>
    public readonly bool EqualsIgnoreCaseFrom(long start, ReadOnlySpan<byte> upper)
    {
        if (Consumed - start != upper.Length) return false;
        if (_contiguous) return System.Text.Ascii.EqualsIgnoreCase(_span.Slice((int)start, upper.Length), upper);
        if (upper.Length > 32) return false;
        Span<byte> copy = stackalloc byte[upper.Length];
        SliceFrom(start).CopyTo(copy);
        return System.Text.Ascii.EqualsIgnoreCase(copy, upper);
    }

    /// <summary>True when the input is one contiguous segment.</summary>
    public readonly bool IsContiguous => _contiguous;

    /// <summary>The array behind contiguous input, for values that reference it directly; null when the input is
    /// not contiguous or not array-backed (then the fast paths stand aside).</summary>
    public readonly byte[]? Array => _array;

    /// <summary>Where the input starts in <see cref="Array"/>.</summary>
    public readonly int ArrayOffset => _arrayOffset;

    /// <summary>The whole input as a span (contiguous input only).</summary>
    public readonly ReadOnlySpan<byte> Span => _span;

    /// <summary>The index into <see cref="Span"/> (contiguous input only).</summary>
    public int Index
    {
        readonly get => _pos;
        set => _pos = value;
    }
}
