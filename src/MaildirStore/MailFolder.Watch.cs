using ImapProxy.Store.Maildir;

namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    private DirectoryEvents? _events;
    private int[] _watches = [];
    private int _backgroundScanQueued;
    /// <summary>
    /// True once a refresh has compared the disk with the index while the watcher was already running: from then on
    /// the watcher's events tell every change, and a refresh applies them instead of listing the directories.
    /// </summary>
    private bool _eventsComplete;
    /// <summary>Names our own operations just created, renamed or removed: their events are not news. Used under the lock.</summary>
    private readonly HashSet<(string Name, bool IsNew)> _ownNames = [];

    private bool WatcherHealthy => _events is { Broken: false };

    /// <summary>Starts watching new/ and cur/ so other writers' changes are seen promptly and without listing.</summary>
    internal void StartWatching()
    {
        if (_account.Watcher is not { } watcher) return;
        var events = new DirectoryEvents(OnEvents);
        if (watcher.TryAdd(NewDirectory, events, isNew: true, out int newWatch))
        {
            if (watcher.TryAdd(CurDirectory, events, isNew: false, out int curWatch))
            {
                _watches = [newWatch, curWatch];
                _events = events;
                return;
            }
            watcher.Remove(newWatch);
        }
        // inotify limits: the mtime check on each access still notices everything, only later.
    }

    private void OnEvents()
    {
        if (Interlocked.Exchange(ref _backgroundScanQueued, 1) == 1) return;
        _ = Task.Run(BackgroundScanAsync);
    }

    /// <summary>Applies a burst of events soon, so subscribers hear of other writers' changes without a client asking.</summary>
    private async Task BackgroundScanAsync()
    {
        try
        {
            await Task.Delay(25).ConfigureAwait(false);
            Volatile.Write(ref _backgroundScanQueued, 0);
            if (_closed) return;
            await EnterAsync(CancellationToken.None).ConfigureAwait(false);
            _gate.Release();
        }
        catch (Exception e) when (e is MailStoreException or IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // The next access reports it; a background scan has nobody to tell.
        }
    }

    /// <summary>Remembers a name our own operation just changed (call after it succeeded, under the lock).</summary>
    private void ExpectOwnChange(string fileName, bool isNew)
    {
        if (_events is not null) _ownNames.Add((fileName, isNew));
    }

    /// <summary>
    /// The watcher's events since the last call, minus our own (<paramref name="any"/>: were there any at all, own
    /// ones included); null without a watcher, or when events were lost (<paramref name="lost"/>) and a listing must decide.
    /// </summary>
    private List<DirectoryEvent>? TakeForeignEvents(out bool any, out bool lost)
    {
        any = lost = false;
        if (_events is null || _account.Watcher is not { } watcher) return null;
        watcher.Drain();
        var events = _events.Take(out bool overflowed);
        if (overflowed || _events.Broken)
        {
            _ownNames.Clear();
            lost = true;
            return null;
        }
        any = events.Count > 0;
        if (_ownNames.Count > 0) events.RemoveAll(e => _ownNames.Remove((e.Name, e.IsNew)));
        events.RemoveAll(e => e.Name.StartsWith('.'));
        return events;
    }

    /// <summary>For tests: behave as after a kernel queue overflow.</summary>
    internal void SimulateLostEvents() => _events?.MarkOverflowed();

    private void StopWatching()
    {
        foreach (int watch in _watches) _account.Watcher?.Remove(watch);
        _watches = [];
        _events = null;
    }
}
