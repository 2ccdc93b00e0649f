namespace ImapProxy.Upstream.Sync.Adapters;

/// <summary>
/// Reads a message with bare LF line ends as CRLF, streaming (a Maildir file written by another program may use LF,
/// while RFC822.SIZE and IMAP APPEND count CRLF).
/// </summary>
internal sealed class CrlfReadStream(Stream inner) : Stream
{
    private readonly byte[] _buffer = new byte[16384];
    private int _start;
    private int _end;
    private bool _previousWasCr;
    private bool _pendingLf;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        var span = destination.Length;
        var written = 0;
        while (written < span)
        {
            if (_pendingLf)
            {
                destination.Span[written++] = (byte)'\n';
                _pendingLf = false;
                _previousWasCr = false;
                continue;
            }
            if (_start == _end)
            {
                if (written > 0)
                {
                    break;
                }
                _end = await inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                _start = 0;
                if (_end == 0)
                {
                    break;
                }
            }
            var b = _buffer[_start++];
            if (b == (byte)'\n' && !_previousWasCr)
            {
                destination.Span[written++] = (byte)'\r';
                _pendingLf = true;
                continue;
            }
            destination.Span[written++] = b;
            _previousWasCr = b == (byte)'\r';
        }
        return written;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("async only");

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
