using ImapProxy.Store;

namespace ImapProxy.Sync.Background;

/// <summary>
/// Follows every local folder's change stream (changes made through the local IMAP server and files other programs
/// drop into the Maildir, which the store's watcher notices) and asks for a pass over the folder that changed.
/// </summary>
internal sealed class LocalChangeWatcher(AccountStore store, SyncRequests requests) : IAsyncDisposable
{
    private readonly Dictionary<string, (FolderSubscription Subscription, Task Reader)> _watched = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Subscribes to folders not followed yet (call after each pass: the pass may have created some).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var info in await store.ListFoldersAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!info.Selectable || (_watched.TryGetValue(info.Name, out var known) && !known.Reader.IsCompleted))
            {
                continue;
            }
            MailFolder folder;
            try
            {
                folder = await store.OpenFolderAsync(info.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (FolderNotFoundException)
            {
                continue; // deleted meanwhile
            }
            // Passive: following a folder must not keep its messages in memory while nobody reads it.
            var subscription = folder.Subscribe(passive: true);
            _watched[info.Name] = (subscription, FollowAsync(info.Name, subscription, _stop.Token));
        }
    }

    /// <summary>
    /// Looks at the folder list every <paramref name="interval"/> and asks for a pass over everything when a folder
    /// appeared: one made by a local IMAP CREATE, or a Maildir++ directory someone made with <c>mkdir</c> (with its
    /// <c>cur</c>), so that it reaches the upstream within about a second. The store's watcher follows messages in
    /// known folders, not the tree; a listing is one directory read plus one stat per folder, cheap at this pace.
    /// The pass that follows subscribes to the new folder (<see cref="RefreshAsync"/>).
    /// </summary>
    public async Task WatchFolderListAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            var known = await SelectableAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                HashSet<string> now;
                try
                {
                    now = await SelectableAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (MailStoreException)
                {
                    continue; // a directory vanished mid-listing: look again next time
                }
                if (!now.IsSubsetOf(known))
                {
                    requests.RequestAll();
                }
                known = now;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task<HashSet<string>> SelectableAsync(CancellationToken cancellationToken) =>
        (await store.ListFoldersAsync(cancellationToken).ConfigureAwait(false))
        .Where(f => f.Selectable).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

    private async Task FollowAsync(string name, FolderSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            while (await subscription.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var gone = false;
                while (subscription.TryRead(out var change))
                {
                    gone |= change.Kind == FolderChangeKind.FolderGone;
                }
                // A folder deleted or renamed locally is the whole account's business (pairing), not just this folder's.
                if (gone)
                {
                    requests.RequestAll();
                    return;
                }
                requests.Request(name);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var (subscription, reader) in _watched.Values)
        {
            subscription.Dispose();
            await reader.ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
