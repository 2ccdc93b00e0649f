using System.Buffers;

namespace ImapProxy.Upstream.Client.Wire;

/// <summary>
/// One complete server response as it came off the wire (lines and in-memory literals), in a pooled buffer.
/// A literal streamed to a sink appears as an empty literal <c>{0}</c>; <see cref="StreamedLength"/> tells its size.
/// </summary>
internal sealed class ResponseFrame : IDisposable
{
    private byte[] _buffer;

    public ResponseFrame(int capacity = 256) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    /// <summary>Bytes used in the buffer.</summary>
    public int Length { get; private set; }

    /// <summary>The response bytes, CRLF included.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>The response bytes, CRLF included.</summary>
    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>Total size of literals written to a sink instead of the buffer, or -1 when none was.</summary>
    public long StreamedLength { get; set; } = -1;

    /// <summary>Appends bytes, growing the pooled buffer.</summary>
    public void Append(ReadOnlySequence<byte> bytes)
    {
        Ensure(checked((int)bytes.Length));
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += (int)bytes.Length;
    }

    /// <summary>Appends bytes, growing the pooled buffer.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Drops bytes from the end (used to rewrite a literal header).</summary>
    public void Truncate(int length) => Length = length;

    private void Ensure(int extra)
    {
        if (Length + extra <= _buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + extra));
        _buffer.AsSpan(0, Length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        Length = 0;
    }
}
