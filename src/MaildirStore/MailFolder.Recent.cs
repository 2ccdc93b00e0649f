namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    private readonly Lock _recentLock = new();
    /// <summary>Messages with a UID at or above this have been seen by no session that selected the folder yet.</summary>
    private uint _firstRecentUid = 1;
    private uint _savedFirstRecentUid = 1;

    /// <summary>
    /// The lowest UID no session has claimed as \Recent yet (RFC 3501 §2.3.2): messages from here on are \Recent
    /// for the next session that selects the folder. A read-only session (EXAMINE) shows them as \Recent without
    /// claiming them, as Dovecot 2.3.19 does.
    /// </summary>
    public uint FirstRecentUid
    {
        get { lock (_recentLock) return _firstRecentUid; }
    }

    /// <summary>
    /// Claims \Recent for every message up to <paramref name="throughUid"/> for the caller's session, so that no
    /// other session sees them as \Recent. Returns the previous boundary: the caller's \Recent messages are those
    /// from it through <paramref name="throughUid"/>. In memory only; <see cref="SaveRecentAsync"/> makes it last.
    /// </summary>
    public uint ClaimRecent(uint throughUid)
    {
        lock (_recentLock)
        {
            uint previous = _firstRecentUid;
            if (throughUid >= previous && throughUid < uint.MaxValue) _firstRecentUid = throughUid + 1;
            return previous;
        }
    }

    /// <summary>Writes the \Recent boundary to the index if a claim moved it. Losing it (a crash) only shows messages as \Recent again.</summary>
    public async Task SaveRecentAsync(CancellationToken cancellationToken = default)
    {
        uint value;
        lock (_recentLock)
        {
            if (_firstRecentUid <= _savedFirstRecentUid) return;
            value = _firstRecentUid;
        }
        await _db.RaiseFirstRecentUidAsync(_row.Id, value, cancellationToken).ConfigureAwait(false);
        lock (_recentLock) _savedFirstRecentUid = Math.Max(_savedFirstRecentUid, value);
    }

    /// <summary>How many messages are \Recent for the next session (STATUS RECENT), after noticing other writers' changes.</summary>
    public async Task<int> CountRecentAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            uint first = FirstRecentUid;
            int lo = 0, hi = _messages.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (_messages[mid].Uid < first) lo = mid + 1; else hi = mid;
            }
            return _messages.Count - lo;
        }
        finally { _gate.Release(); }
    }

    /// <summary>Sets the boundary read from the index when the folder is opened (none recorded: every message is \Recent).</summary>
    internal void LoadRecent(uint? stored)
    {
        lock (_recentLock) _firstRecentUid = _savedFirstRecentUid = Math.Max(1, stored ?? 1);
    }
}
