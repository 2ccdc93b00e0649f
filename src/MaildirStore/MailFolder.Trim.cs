using ImapProxy.Store.Index;

namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    /// <summary>
    /// Gives back the memory of the message file names when no one is reading the folder (no session has it selected,
    /// no call in progress): they are a third of what an open folder holds, and the index has them for the next
    /// operation that needs them, as after an open from the state blob. False when the folder was busy or already lean.
    /// </summary>
    internal async Task<bool> TrimAsync()
    {
        if (_hub.HasActiveSubscribers || !await _gate.WaitAsync(0).ConfigureAwait(false)) return false;
        try
        {
            if (!_namesLoaded || _closed || _released || _reloadNeeded) return false;
            foreach (var entry in _messages) entry.FileName = null!;
            _byFileName = new Dictionary<string, MessageEntry>(StringComparer.Ordinal);
            _namesLoaded = false;
            return true;
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// Gives back every message of a folder nobody reads: no session has it selected (passive subscribers, such as
    /// the synchronizer's watcher, do not count), no call is in progress, and none entered for
    /// <paramref name="idleFor"/>. The instance stays open and shared: its watcher keeps running, its UIDNEXT,
    /// HIGHESTMODSEQ and \Recent boundary stay in memory, and the next call reads the messages again from the state
    /// blob written here (one index read: about 16 ms for 100,000 messages), then applies what changed meanwhile.
    /// Every change is already in the index rows when it is made, so nothing is lost if the blob cannot be written;
    /// the folder then stays loaded, since reading the rows back would cost more than the memory is worth.
    /// </summary>
    internal async Task<bool> ReleaseIfIdleAsync(TimeSpan idleFor)
    {
        if (_hub.HasActiveSubscribers || !await _gate.WaitAsync(0).ConfigureAwait(false)) return false;
        try
        {
            if (_closed || _released || _reloadNeeded || _hub.HasActiveSubscribers) return false;
            if (Environment.TickCount64 - _lastUsed < (long)idleFor.TotalMilliseconds) return false;
            if (_stateStale) await SaveStateAsync().ConfigureAwait(false);
            if (_stateStale) return false;
            _messages = [];
            _byFileName = new Dictionary<string, MessageEntry>(StringComparer.Ordinal);
            _namesLoaded = false;
            _released = true;
            return true;
        }
        finally { _gate.Release(); }
    }

    /// <summary>Reads back the messages given back by <see cref="ReleaseIfIdleAsync"/> (under the lock).</summary>
    private async Task LoadReleasedLockedAsync(CancellationToken cancellationToken)
    {
        var messages = await _db.LoadStateAsync(_row, cancellationToken).ConfigureAwait(false);
        if (messages is null)
        {
            // The blob written at release is gone or damaged: the rows are authoritative.
            await ReloadLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _messages = messages;
            _byFileName = new Dictionary<string, MessageEntry>(StringComparer.Ordinal);
            _namesLoaded = false;
        }
        _released = false;
    }
}
