namespace ImapProxy.Upstream.Tests.Client;

/// <summary>
/// An in-memory "server": chunk 0 (the greeting) is readable at once, and each line the client writes releases
/// the next chunk. When the client waits for data that will never come (a mutated response lost its tagged OK),
/// the stream ends after a few milliseconds, like a server hanging up.
/// </summary>
internal sealed class FuzzServerStream(IReadOnlyList<byte[]> chunks) : Stream
{
    private readonly object _sync = new();
    private int _released = 1;
    private int _chunk;
    private int _offset;
    private readonly SemaphoreSlim _signal = new(0);

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            lock (_sync)
            {
                while (_chunk < _released && _chunk < chunks.Count && _offset >= chunks[_chunk].Length)
                {
                    _chunk++;
                    _offset = 0;
                }
                if (_chunk < _released && _chunk < chunks.Count)
                {
                    var source = chunks[_chunk].AsSpan(_offset);
                    var n = Math.Min(source.Length, buffer.Length);
                    source[..n].CopyTo(buffer.Span);
                    _offset += n;
                    return n;
                }
                if (_chunk >= chunks.Count) return 0;
            }
            // Give the client a moment to send its next command; then it is waiting for an answer that never comes.
            if (!await _signal.WaitAsync(2, cancellationToken)) return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var lines = buffer.Span.Count((byte)'\n');
        if (lines > 0)
        {
            lock (_sync) _released += lines;
            _signal.Release();
        }
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
