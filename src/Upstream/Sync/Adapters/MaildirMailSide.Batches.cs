using ImapProxy.Store;

namespace ImapProxy.Upstream.Sync.Adapters;

public sealed partial class MaildirMailSide
{
    /// <inheritdoc />
    /// <remarks>Each file read in turn with CRLF line ends; its RFC822.SIZE (CRLF-counted) is the announced length.</remarks>
    public async Task ReadMessagesAsync(string folder, IReadOnlyList<uint> uids, IMessageSink sink, CancellationToken cancellationToken)
    {
        var mailFolder = await store.OpenFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        foreach (var uid in uids)
        {
            if (await mailFolder.FindMessageAsync(uid, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                continue;
            }
            Stream file;
            try
            {
                file = await mailFolder.OpenMessageAsync(uid, cancellationToken).ConfigureAwait(false);
            }
            catch (MessageNotFoundException)
            {
                continue; // expunged meanwhile
            }
            var content = new CrlfReadStream(file);
            await using (content.ConfigureAwait(false))
            {
                var target = await sink.OpenAsync(uid, found.Info.Size, cancellationToken).ConfigureAwait(false);
                await content.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                await sink.CompleteAsync(uid, target, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<IAppendBatch> BeginAppendBatchAsync(string folder, CancellationToken cancellationToken)
    {
        var mailFolder = await store.OpenFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        return new MaildirAppendBatch(mailFolder.BeginAppendBatch());
    }

    /// <inheritdoc />
    public async Task DiscardBatchAsync(string folder, string token, CancellationToken cancellationToken)
    {
        if (!store.FolderExists(folder))
        {
            return;
        }
        var mailFolder = await store.OpenFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        mailFolder.DiscardBatchFiles(token);
    }

    /// <summary>The store's <see cref="AppendBatch"/> as the engine's <see cref="IAppendBatch"/>; content keys are base names.</summary>
    private sealed class MaildirAppendBatch(AppendBatch batch) : IAppendBatch
    {
        public string Token => batch.Token;

        public ValueTask<Stream> StartAsync(long lengthHint, CancellationToken cancellationToken) => ValueTask.FromResult(batch.StartMessage(lengthHint));

        public ValueTask<int> AddAsync(Stream written, FlagSet flags, DateTimeOffset internalDate, CancellationToken cancellationToken)
        {
            var (system, keywords) = Split(flags);
            return batch.AddAsync(written, system, keywords, internalDate, cancellationToken);
        }

        public async Task<BatchCommit> CommitAsync(CancellationToken cancellationToken)
        {
            var results = await batch.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new BatchCommit(results.Select(r => new AppendedCopy(r.Uid, r.BaseName)).ToList());
        }

        public ValueTask DisposeAsync() => batch.DisposeAsync();
    }
}
