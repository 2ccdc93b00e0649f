using System.Collections.Concurrent;

namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    private FileSystemWatcher[] _watchers = [];
    private volatile bool _dirty;
    private volatile bool _watcherFailed;
    private int _backgroundScanQueued;
    /// <summary>True when the stored mtimes were taken right after our own change, with the watcher guarding the rest.</summary>
    private bool _ownStateTrusted;
    /// <summary>File names our own operations just created, renamed or removed: their watcher events are not news.</summary>
    private readonly ConcurrentDictionary<string, byte> _ownNames = new(StringComparer.Ordinal);

    private bool WatcherHealthy => _watchers.Length > 0 && !_watcherFailed;

    /// <summary>Starts watching new/ and cur/ so other writers' changes reach subscribers promptly.</summary>
    internal void StartWatching()
    {
        if (!_account.Options.WatchFileSystem) return;
        try
        {
            _watchers = [Watch(NewDirectory), Watch(CurDirectory)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            // inotify limits or no permission: fall back to the mtime check on each access.
            StopWatching();
        }
    }

    private FileSystemWatcher Watch(string directory)
    {
        var watcher = new FileSystemWatcher(directory)
        {
            NotifyFilter = NotifyFilters.FileName, IncludeSubdirectories = false, InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, e) => OnFileEvent(e.Name);
        watcher.Deleted += (_, e) => OnFileEvent(e.Name);
        watcher.Renamed += (_, e) => { OnFileEvent(e.OldName); OnFileEvent(e.Name); };
        watcher.Error += (_, _) => { _watcherFailed = true; MarkDirty(); };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void OnFileEvent(string? name)
    {
        if (name is not null && _ownNames.TryRemove(name, out _)) return;
        if (name is not null && name.StartsWith('.')) return;
        MarkDirty();
    }

    private void MarkDirty()
    {
        _dirty = true;
        if (Interlocked.Exchange(ref _backgroundScanQueued, 1) == 1) return;
        _ = Task.Run(BackgroundScanAsync);
    }

    /// <summary>Rescans soon after a burst of events, so subscribers hear of other writers' changes without a client asking.</summary>
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

    /// <summary>Remembers names our own operation touches, so the watcher does not treat them as foreign.</summary>
    private void ExpectOwnChange(string fileName)
    {
        if (WatcherHealthy) _ownNames[fileName] = 0;
    }

    /// <summary>
    /// After our own change (the folder was in step with the disk before it), record the new directory mtimes so
    /// the next access need not list the directories; the watcher reports anyone else's change in the meantime.
    /// </summary>
    private void RecordOwnChange()
    {
        if (!WatcherHealthy || _dirty) return;
        _row.NewMtime = Directory.GetLastWriteTimeUtc(NewDirectory).Ticks;
        _row.CurMtime = Directory.GetLastWriteTimeUtc(CurDirectory).Ticks;
        _ownStateTrusted = true;
    }

    private void StopWatching()
    {
        foreach (var watcher in _watchers) watcher.Dispose();
        _watchers = [];
    }
}
