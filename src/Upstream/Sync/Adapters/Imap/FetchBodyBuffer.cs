using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Sync.Adapters.Imap;

/// <summary>
/// Receives one message body from UID FETCH: small ones in memory, larger ones in a temporary file that deletes
/// itself when closed, so a 50 MB message never sits whole in memory and the connection is free again as soon as
/// the body is in.
/// </summary>
internal sealed class FetchBodyBuffer(uint wantedUid) : IFetchBodySink
{
    private Stream? _body;

    /// <summary>The whole body, positioned at its start; null when the UID no longer exists.</summary>
    public Stream? Take()
    {
        var body = _body;
        _body = null;
        body?.Seek(0, SeekOrigin.Begin);
        return body;
    }

    public ValueTask<Stream> OpenAsync(uint sequenceNumber, uint uid, long length, CancellationToken cancellationToken)
    {
        return ValueTask.FromResult(SpoolStream.Create(length));
    }

    public async ValueTask CompleteAsync(FetchedMessage message, Stream? body, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return;
        }
        if (message.Uid != wantedUid || _body is not null)
        {
            await body.DisposeAsync().ConfigureAwait(false);
            return;
        }
        _body = body;
    }

    /// <summary>Closes a body nobody took (the fetch failed after it arrived).</summary>
    public ValueTask DisposeUntakenAsync() => _body?.DisposeAsync() ?? ValueTask.CompletedTask;
}
