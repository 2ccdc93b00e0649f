using System.Buffers.Text;

namespace ImapProxy.Upstream.Client.Wire;

/// <summary>
/// Sends the body literals of one UID FETCH to an <see cref="IFetchBodySink"/>, and hands each finished message
/// to it. Completions run one at a time: the next body is not read until the previous message was handed over,
/// which keeps memory flat and gives the sink backpressure on the connection.
/// </summary>
internal sealed class FetchRouter(IFetchBodySink sink, UidSet uids) : ILiteralRouter
{
    private uint _openSequence;
    private Stream? _open;
    private ValueTask _lastCompletion = ValueTask.CompletedTask;

    /// <summary>The first error a sink threw; later bodies are discarded and the FETCH then fails with it.</summary>
    public Exception? SinkError { get; private set; }

    public async ValueTask<Stream?> RouteAsync(ReadOnlyMemory<byte> prefix, long length, CancellationToken cancellationToken)
    {
        if (!TryParseHead(prefix.Span, out var sequence, out var uid)) return null;
        if (uid != 0 && !uids.Contains(uid)) return null;
        await AwaitLastAsync().ConfigureAwait(false);
        if (_open is not null) await DisposeOpenAsync().ConfigureAwait(false);
        if (SinkError is not null)
        {
            _openSequence = sequence;
            _open = Stream.Null;
            return Stream.Null;
        }
        try
        {
            _open = await sink.OpenAsync(sequence, uid, length, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SinkError = e;
            _open = Stream.Null;
        }
        _openSequence = sequence;
        return new SinkGuard(this, _open);
    }

    /// <summary>Called (on the reader loop) when the whole FETCH response for a message is parsed.</summary>
    public void Completed(FetchedMessage message)
    {
        Stream? body = null;
        if (_open is not null && _openSequence == message.SequenceNumber)
        {
            body = ReferenceEquals(_open, Stream.Null) ? null : _open;
            _open = null;
        }
        if (SinkError is not null) return;
        try { _lastCompletion = sink.CompleteAsync(message, body, CancellationToken.None); }
        catch (Exception e) { SinkError = e; }
    }

    /// <summary>Waits for the last hand-over; throws the sink's error if there was one.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await AwaitLastAsync().ConfigureAwait(false);
        if (SinkError is not null) throw SinkError;
    }

    private async ValueTask AwaitLastAsync()
    {
        var last = _lastCompletion;
        _lastCompletion = ValueTask.CompletedTask;
        try { await last.ConfigureAwait(false); }
        catch (Exception e) { SinkError ??= e; }
    }

    private async ValueTask DisposeOpenAsync()
    {
        // A body whose FETCH never completed as ours: close it so the sink does not leak a file handle.
        var open = _open;
        _open = null;
        if (open is null || ReferenceEquals(open, Stream.Null)) return;
        try { await open.DisposeAsync().ConfigureAwait(false); }
        catch (Exception e) { SinkError ??= e; }
    }

    private void Fail(Exception e) => SinkError ??= e;

    /// <summary>Parses "* n FETCH (... UID u ..." from the start of a FETCH response.</summary>
    internal static bool TryParseHead(ReadOnlySpan<byte> prefix, out uint sequence, out uint uid)
    {
        sequence = uid = 0;
        if (!prefix.StartsWith("* "u8) || !Utf8Parser.TryParse(prefix[2..], out sequence, out var used)) return false;
        var rest = prefix[(2 + used)..];
        if (!rest.StartsWith(" FETCH ("u8)) return false;
        rest = rest[8..];
        while (true)
        {
            var at = rest.IndexOf("UID "u8);
            if (at < 0) return true;
            var boundary = at == 0 || rest[at - 1] == (byte)' ';
            rest = rest[(at + 4)..];
            if (boundary && Utf8Parser.TryParse(rest, out uid, out _)) return true;
        }
    }

    /// <summary>Turns a sink's write failure into "discard the rest": the connection must read the literal anyway.</summary>
    private sealed class SinkGuard(FetchRouter owner, Stream inner) : Stream
    {
        private bool _failed;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_failed) return;
            try { await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _failed = true;
                owner.Fail(e);
            }
        }
    }
}
