namespace ImapProxy.Store.Mime;

/// <summary>
/// Reads a stream as lines (LF ends a line; a CR before it is part of the line end) with a fixed buffer.
/// A line longer than the buffer comes out in pieces; only the first piece has <see cref="AtLineStart"/> set,
/// so memory stays bounded however long a line is. The buffer is pooled: dispose the reader to give it back (a
/// new 64 KB buffer per parsed message was a third of the initial sync's allocations).
/// </summary>
internal sealed class LineReader(Stream stream, int bufferSize = 64 * 1024) : IDisposable
{
    private byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(bufferSize);
    private int start;
    private int end;
    private long bufferOffset;
    private bool endOfStream;
    private bool midLine;

    /// <summary>Raw offset of the current segment's first byte.</summary>
    public long SegmentOffset { get; private set; }

    /// <summary>The segment's bytes without its line end; valid until the next read.</summary>
    public ReadOnlyMemory<byte> Content { get; private set; }

    /// <summary>0 when the segment has no line end (a piece of a long line, or the last line), 1 for LF, 2 for CRLF.</summary>
    public int TerminatorLength { get; private set; }

    /// <summary>True when the segment begins a line.</summary>
    public bool AtLineStart { get; private set; }

    /// <summary>Raw offset just past the segment and its line end.</summary>
    public long SegmentEnd => SegmentOffset + Content.Length + TerminatorLength;

    /// <summary>Reads the next segment; false at the end of the stream.</summary>
    /// <remarks>Not an async method itself: most calls find the line in the buffer and allocate nothing.</remarks>
    public ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        if (TryEmitFromBuffer(out bool more))
        {
            return new ValueTask<bool>(more);
        }
        return FillAndReadAsync(ct);
    }

    private async ValueTask<bool> FillAndReadAsync(CancellationToken ct)
    {
        while (true)
        {
            await FillAsync(ct).ConfigureAwait(false);
            if (TryEmitFromBuffer(out bool more))
            {
                return more;
            }
        }
    }

    /// <summary>True when the buffer alone decided: a segment was emitted (<paramref name="more"/>) or the end was reached.</summary>
    private bool TryEmitFromBuffer(out bool more)
    {
        more = true;
        int lf = Array.IndexOf(buffer, (byte)'\n', start, end - start);
        if (lf >= 0)
        {
            bool cr = lf > start && buffer[lf - 1] == (byte)'\r';
            Emit(start, lf - start - (cr ? 1 : 0), cr ? 2 : 1);
            start = lf + 1;
            midLine = false;
            return true;
        }
        if (endOfStream)
        {
            if (start == end)
            {
                more = false;
                return true;
            }
            Emit(start, end - start, 0);
            start = end;
            midLine = true;
            return true;
        }
        if (start == 0 && end == buffer.Length)
        {
            // Keep a trailing CR back: it may be the first half of a CRLF line end.
            int take = buffer[end - 1] == (byte)'\r' ? end - 1 : end;
            Emit(start, take, 0);
            start = take;
            midLine = true;
            return true;
        }
        return false;
    }

    private void Emit(int from, int length, int terminator)
    {
        SegmentOffset = bufferOffset + from;
        Content = new ReadOnlyMemory<byte>(buffer, from, length);
        TerminatorLength = terminator;
        AtLineStart = !midLine;
    }

    /// <summary>Returns the buffer to the pool; <see cref="Content"/> is no longer valid.</summary>
    public void Dispose()
    {
        var rented = buffer;
        buffer = [];
        start = end = 0;
        Content = default;
        if (rented.Length > 0) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
    }

    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            bufferOffset += start;
            end -= start;
            start = 0;
        }
        int read = await stream.ReadAsync(buffer.AsMemory(end), ct).ConfigureAwait(false);
        if (read == 0)
        {
            endOfStream = true;
        }
        end += read;
    }
}
