using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace ImapProxy.Store;

/// <summary>
/// One message of an <see cref="AppendBatch"/> on its way into <c>tmp/</c>: bytes gather in a pooled buffer and go
/// to the file with plain writes, and a message that fits the buffer stays there for the batch's MIME parse, which
/// then does not read the file back.
/// </summary>
/// <remarks>
/// Measured on the initial sync (BENCHMARKS.md, synchronizer): a <see cref="FileStream"/> per message allocated a
/// new 64 KB buffer each time (39% of all bytes allocated), and its asynchronous writes each went through a
/// thread-pool work item. Writes here are synchronous: they land in the page cache (the batch's durable point
/// syncs them later), which costs less than the hop to another thread.
/// </remarks>
internal sealed class BatchMessageStream : Stream
{
    /// <summary>The largest message kept in memory for the parse; a longer one is written out as it comes.</summary>
    internal const int MaxBuffered = 64 * 1024;

    private SafeFileHandle? _file;
    private byte[]? _buffer;
    private int _buffered;
    private long _written;
    private bool _spilled;

    /// <param name="path">The temporary file, created here (it must not exist).</param>
    /// <param name="lengthHint">The announced length, or 0: sizes the buffer, so a small message rents a small one.</param>
    public BatchMessageStream(string path, long lengthHint)
    {
        Path = path;
        _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        _buffer = ArrayPool<byte>.Shared.Rent(lengthHint is > 0 and < MaxBuffered ? (int)lengthHint + 1 : MaxBuffered);
    }

    /// <summary>The temporary file's path.</summary>
    public string Path { get; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => _file is not null;
    public override long Length => _written + _buffered;
    public override long Position { get => Length; set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_file is null || _buffer is null, this);
        while (data.Length > 0)
        {
            if (_buffered == _buffer.Length)
            {
                if (_buffer.Length < MaxBuffered && !_spilled)
                {
                    Grow(_buffered + data.Length);
                }
                else
                {
                    Spill();
                }
            }
            int take = Math.Min(data.Length, _buffer.Length - _buffered);
            data[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            data = data[take..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// Writes the rest, gives the file <paramref name="modifiedUtc"/> as its mtime (unless the file system cannot
    /// hold it) and closes it. Returns the whole message when it stayed in memory; the caller then owns that pooled
    /// buffer and returns it to <see cref="ArrayPool{T}.Shared"/>.
    /// </summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public (byte[] Buffer, int Length)? Finish(DateTime modifiedUtc)
    {
        ObjectDisposedException.ThrowIf(_file is null || _buffer is null, this);
        var file = _file;
        if (_buffered > 0) RandomAccess.Write(file, _buffer.AsSpan(0, _buffered), _written);
        try
        {
            File.SetLastWriteTimeUtc(file, modifiedUtc);
        }
        catch (ArgumentOutOfRangeException)
        {
            // A date the file system cannot hold: the index keeps it all the same.
        }
        _file = null;
        file.Dispose();
        if (_spilled) return null;
        var kept = (_buffer, _buffered);
        _buffer = null;
        return kept;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose();
            _file = null;
            if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
        base.Dispose(disposing);
    }

    private void Grow(int wanted)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxBuffered, Math.Max(wanted, _buffer!.Length * 2)));
        _buffer.AsSpan(0, _buffered).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private void Spill()
    {
        RandomAccess.Write(_file!, _buffer.AsSpan(0, _buffered), _written);
        _written += _buffered;
        _buffered = 0;
        _spilled = true;
    }
}
