using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Sync.Adapters.Imap;

public sealed partial class ImapMailSide
{
    /// <inheritdoc />
    /// <remarks>
    /// One <c>UID FETCH set (UID BODY.PEEK[])</c> per <see cref="UidsPerCommand"/> UIDs on one connection: bodies
    /// stream straight from the socket into the sink, one message after another, and the sink's pace is the
    /// connection's (the next body is not read until the previous one was handed over).
    /// </remarks>
    public Task ReadMessagesAsync(string folder, IReadOnlyList<uint> uids, IMessageSink sink, CancellationToken cancellationToken)
    {
        var mailbox = _names.ToServer(folder);
        return WithConnectionAsync(mailbox, async client =>
        {
            await SelectAsync(client, mailbox, cancellationToken).ConfigureAwait(false);
            foreach (var chunk in uids.Order().Chunk(UidsPerCommand))
            {
                await client.UidFetchAsync(new UidSet(chunk), new FetchRequest(Flags: false, BodySection: ""), new SinkRelay(sink), cancellationToken)
                    .ConfigureAwait(false);
            }
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IAppendBatch> BeginAppendBatchAsync(string folder, CancellationToken cancellationToken) =>
        Task.FromResult<IAppendBatch>(new ImapAppendBatch(this, folder));

    /// <inheritdoc />
    /// <remarks>Nothing to do: an APPEND is atomic on the server, so a cut batch leaves only whole messages.</remarks>
    public Task DiscardBatchAsync(string folder, string token, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Uploads a batch: the messages wait in memory or temporary files (the engine bounds a batch's bytes), then
    /// go out as pipelined APPENDs on one connection at commit (with LITERAL+ without a round trip each). Only what
    /// the server confirmed is reported; a UID only from APPENDUID under UIDPLUS.
    /// </summary>
    private sealed class ImapAppendBatch(ImapMailSide side, string folder) : IAppendBatch
    {
        private readonly List<AppendMessage> _messages = new();

        public string Token { get; } = "upload-" + Guid.NewGuid().ToString("N")[..12];

        public ValueTask<Stream> StartAsync(long lengthHint, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SpoolStream.Create(lengthHint));

        public ValueTask<int> AddAsync(Stream written, FlagSet flags, DateTimeOffset internalDate, CancellationToken cancellationToken)
        {
            var length = written.Position;
            written.Position = 0;
            _messages.Add(ToAppendMessage(written, length, flags, internalDate));
            return ValueTask.FromResult(_messages.Count - 1);
        }

        public Task<BatchCommit> CommitAsync(CancellationToken cancellationToken)
        {
            var mailbox = side._names.ToServer(folder);
            return side.WithConnectionAsync(null, async client =>
            {
                // One APPEND per message rather than one MULTIAPPEND: a message the server refuses must not take
                // the other 255 down with it, and each confirmation stands on its own.
                var appends = _messages.Select(m => client.AppendAsync(mailbox, [m], cancellationToken)).ToList();
                var results = new AppendedCopy?[appends.Count];
                Exception? error = null;
                for (var i = 0; i < appends.Count; i++)
                {
                    try
                    {
                        results[i] = new AppendedCopy(side.TrustedAppendUid(await appends[i].ConfigureAwait(false)), null);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        error ??= e;
                    }
                }
                return new BatchCommit(results, error);
            }, cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var message in _messages)
            {
                await message.Content.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Passes FETCH bodies on to an engine sink, keyed by UID (held back when a server sends the UID after the body).</summary>
    private sealed class SinkRelay(IMessageSink sink) : IFetchBodySink
    {
        private bool _heldBack;

        public async ValueTask<Stream> OpenAsync(uint sequenceNumber, uint uid, long length, CancellationToken cancellationToken)
        {
            _heldBack = uid == 0;
            return _heldBack ? SpoolStream.Create(length) : await sink.OpenAsync(uid, length, cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask CompleteAsync(FetchedMessage message, Stream? body, CancellationToken cancellationToken)
        {
            if (body is null)
            {
                return;
            }
            if (_heldBack)
            {
                await using (body.ConfigureAwait(false))
                {
                    var target = await sink.OpenAsync(message.Uid, body.Length, cancellationToken).ConfigureAwait(false);
                    body.Position = 0;
                    await body.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                    body = target;
                }
            }
            await sink.CompleteAsync(message.Uid, body, cancellationToken).ConfigureAwait(false);
        }
    }
}
