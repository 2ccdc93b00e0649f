using ImapProxy.Store.Index;
using ImapProxy.Store.Maildir;

namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    /// <summary>File systems with coarse timestamps can hide a change made in the same tick as a scan.</summary>
    private static readonly long MtimeGranularity = TimeSpan.FromSeconds(2).Ticks;
    /// <summary>
    /// ext4, xfs, btrfs and tmpfs stamp in nanoseconds from the kernel's coarse clock (1–10 ms a tick); a tenth of a
    /// second is ample. Whole-second mtimes (FAT, ext3, HFS+, some network file systems) keep the two seconds.
    /// </summary>
    private static readonly long FineMtimeGranularity = TimeSpan.FromMilliseconds(100).Ticks;
    private int _scanGeneration;

    /// <summary>Dovecot's UIDs to honour on the first scan of an adopted folder.</summary>
    internal DovecotUidList? AdoptedUidList { get; set; }

    /// <summary>
    /// Brings the folder up to date with the disk. With a healthy watcher whose events are complete, the events are
    /// applied directly (a flag rename in a 100,000-message folder costs two stats, not a listing); the directory
    /// mtimes then only catch what the watcher cannot see (another host on a network file system). Without one,
    /// unchanged mtimes mean nothing happened, and anything else means listing new/ and cur/.
    /// </summary>
    private async Task RefreshLockedAsync(bool force, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(CurDirectory)) throw new FolderNotFoundException(Name);
        // Events first, mtimes second: a change in between shows in the mtimes now and in the events next time.
        var events = TakeForeignEvents(out bool anyEvents, out bool lost);
        long newMtime = DirectoryMtime(NewDirectory), curMtime = DirectoryMtime(CurDirectory);
        bool unchanged = newMtime == _row.NewMtime && curMtime == _row.CurMtime;
        if (!force && events is not null && _eventsComplete && (unchanged || anyEvents))
        {
            if (events.Count > 0) await ApplyEventsLockedAsync(events, cancellationToken).ConfigureAwait(false);
            _row.NewMtime = newMtime;
            _row.CurMtime = curMtime;
            return;
        }
        bool settled = Settled(_row.ScannedAt, newMtime, curMtime);
        if (force || lost || !unchanged || !settled)
            await ScanLockedAsync(newMtime, curMtime, cancellationToken).ConfigureAwait(false);
        // The watcher was running before this comparison, so from now on its events tell every change.
        _eventsComplete = WatcherHealthy;
    }

    /// <summary>True when a look at <paramref name="scannedAt"/> came late enough after the mtimes that any later change moves them.</summary>
    private static bool Settled(long scannedAt, long newMtime, long curMtime)
    {
        bool fine = newMtime % TimeSpan.TicksPerSecond != 0 || curMtime % TimeSpan.TicksPerSecond != 0;
        return scannedAt - Math.Max(newMtime, curMtime) > (fine ? FineMtimeGranularity : MtimeGranularity);
    }

    /// <summary>
    /// At close, with a watcher that saw every change since the folder was compared with the disk: the index matches
    /// the disk now, as a listing would show. Recording that as a scan lets the next process trust unchanged mtimes
    /// instead of listing the folder again because our own last writes were recent when it was last listed (the
    /// first <c>imapproxy sync</c> after one that copied mail). A change made meanwhile moves the mtimes past those recorded.
    /// </summary>
    private async Task RecordVerifiedAtCloseLockedAsync()
    {
        if (!WatcherHealthy || !_eventsComplete) return;
        long newMtime = DirectoryMtime(NewDirectory), curMtime = DirectoryMtime(CurDirectory);
        long verifiedAt = DateTime.UtcNow.Ticks;
        if (Settled(_row.ScannedAt, newMtime, curMtime) && newMtime == _row.NewMtime && curMtime == _row.CurMtime) return;
        var events = TakeForeignEvents(out _, out bool lost);
        if (events is null || lost) return;
        if (events.Count > 0) await ApplyEventsLockedAsync(events, CancellationToken.None).ConfigureAwait(false);
        _row.NewMtime = newMtime;
        _row.CurMtime = curMtime;
        _row.ScannedAt = verifiedAt;
        await CommitLockedAsync(new ChangeBatch()).ConfigureAwait(false);
    }

    private static long DirectoryMtime(string path)
    {
        if (!Directory.Exists(path)) Directory.CreateDirectory(path);
        return Directory.GetLastWriteTimeUtc(path).Ticks;
    }

    /// <summary>Compares the directories with the index and records what other writers did.</summary>
    private async Task ScanLockedAsync(long newMtime, long curMtime, CancellationToken cancellationToken)
    {
        await EnsureNamesLockedAsync(cancellationToken).ConfigureAwait(false);
        long scanStart = DateTime.UtcNow.Ticks;
        int generation = ++_scanGeneration;
        Listings++;
        var unknown = new List<(string Name, bool InNew)>();
        // new/ before cur/: a file moved new → cur meanwhile is then seen twice, never not at all.
        unknown.AddRange(DirectoryListing.ListUnknown(NewDirectory, true, _byFileName, generation).Select(n => (n, true)));
        unknown.AddRange(DirectoryListing.ListUnknown(CurDirectory, false, _byFileName, generation).Select(n => (n, false)));
        var gone = _messages.Where(m => m.SeenInScan != generation).ToList();
        _row.NewMtime = newMtime;
        _row.CurMtime = curMtime;
        _row.ScannedAt = scanStart;
        await ReconcileLockedAsync(unknown, gone, generation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks each name the watcher reported (does it exist now? do we know it?) and reconciles those alone.</summary>
    private async Task ApplyEventsLockedAsync(List<DirectoryEvent> events, CancellationToken cancellationToken)
    {
        await EnsureNamesLockedAsync(cancellationToken).ConfigureAwait(false);
        var unknown = new List<(string Name, bool InNew)>();
        var gone = new List<MessageEntry>();
        var checkedNames = new HashSet<DirectoryEvent>();
        foreach (var e in events)
        {
            if (!checkedNames.Add(e)) continue;
            bool exists = File.Exists(System.IO.Path.Combine(e.IsNew ? NewDirectory : CurDirectory, e.Name));
            bool known = _byFileName.TryGetValue(e.Name, out var entry) && entry.InNew == e.IsNew;
            if (exists && !known) unknown.Add((e.Name, e.IsNew));
            else if (!exists && known) gone.Add(entry!);
        }
        if (unknown.Count > 0 || gone.Count > 0)
            await ReconcileLockedAsync(unknown, gone, generation: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Pairs names that went away with names that appeared (a rename keeps the identity key), records the renames,
    /// expunges what is really gone and ingests the rest. <paramref name="generation"/> is set after a full listing.
    /// </summary>
    private async Task ReconcileLockedAsync(List<(string Name, bool InNew)> unknown, List<MessageEntry> gone, int? generation,
        CancellationToken cancellationToken)
    {
        _keywordLetters?.Refresh();
        var batch = new ChangeBatch();
        var vanished = new Dictionary<string, MessageEntry>(StringComparer.Ordinal);
        var vanishedSameKey = new List<MessageEntry>();
        foreach (var m in gone)
        {
            if (!vanished.TryAdd(MaildirFileName.IdentityKey(m.FileName), m)) vanishedSameKey.Add(m);
        }
        var fresh = new List<(string Name, bool InNew)>();
        foreach (var u in unknown)
        {
            if (vanished.Remove(MaildirFileName.IdentityKey(u.Name), out var entry)) ApplyRename(entry, u.Name, u.InNew, batch);
            else fresh.Add(u);
        }
        // After a listing, a rename racing with it can hide a name; events name every change, so they need no second look.
        if (fresh.Count > 0 && generation is { } g) fresh = PairWithMovedLiveEntries(fresh, g, batch);
        if (vanished.Count > 0 || vanishedSameKey.Count > 0) ConfirmVanished(vanished, vanishedSameKey, batch, relist: generation is not null);
        await CommitLockedAsync(batch).ConfigureAwait(false);
        if (fresh.Count > 0) await IngestLockedAsync(fresh, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A new name whose identity belongs to an entry still marked seen: if that entry's file is gone, the listing
    /// caught both names of one rename (e.g. mutt moving new → cur); otherwise it is a genuine second copy.
    /// </summary>
    private List<(string Name, bool InNew)> PairWithMovedLiveEntries(List<(string Name, bool InNew)> fresh, int generation, ChangeBatch batch)
    {
        Dictionary<string, MessageEntry>? live = null;
        var result = new List<(string Name, bool InNew)>(fresh.Count);
        foreach (var f in fresh)
        {
            live ??= BuildIdentityMap(generation);
            if (live.Remove(MaildirFileName.IdentityKey(f.Name), out var entry) && !File.Exists(PathOf(entry)))
                ApplyRename(entry, f.Name, f.InNew, batch);
            else
                result.Add(f);
        }
        return result;
    }

    private Dictionary<string, MessageEntry> BuildIdentityMap(int generation)
    {
        var map = new Dictionary<string, MessageEntry>(_messages.Count, StringComparer.Ordinal);
        foreach (var m in _messages)
            if (m.SeenInScan == generation) map.TryAdd(MaildirFileName.IdentityKey(m.FileName), m);
        return map;
    }

    /// <summary>
    /// Before expunging, make sure: a rename racing with the listing can hide both names, so look again.
    /// </summary>
    private void ConfirmVanished(Dictionary<string, MessageEntry> vanished, List<MessageEntry> sameKey, ChangeBatch batch, bool relist)
    {
        foreach (var entry in sameKey)
            if (!File.Exists(PathOf(entry))) RemoveEntry(entry, batch);
        foreach (var (key, entry) in vanished.ToList())
            if (File.Exists(PathOf(entry))) vanished.Remove(key);
        if (vanished.Count > 0 && relist) FindRenamedInListing(vanished, batch);
        foreach (var entry in vanished.Values.OrderBy(e => e.Uid))
            RemoveEntry(entry, batch);
    }

    private void FindRenamedInListing(Dictionary<string, MessageEntry> vanished, ChangeBatch batch)
    {
        foreach (var (dir, isNew) in new[] { (NewDirectory, true), (CurDirectory, false) })
        {
            foreach (var name in DirectoryListing.ListAll(dir))
            {
                if (_byFileName.ContainsKey(name)) continue;
                if (vanished.Remove(MaildirFileName.IdentityKey(name), out var entry)) ApplyRename(entry, name, isNew, batch);
            }
        }
    }

    private void ApplyRename(MessageEntry entry, string newName, bool inNew, ChangeBatch batch)
    {
        _byFileName.Remove(entry.FileName);
        var flags = MaildirFileName.ParseFlags(newName);
        var keywords = KeywordsAfterRename(entry.Keywords, entry.FileName, newName);
        entry.FileName = newName;
        entry.InNew = inNew;
        _byFileName[newName] = entry;
        if (flags != entry.Flags || keywords is not null)
        {
            entry.Flags = flags;
            if (keywords is not null) entry.Keywords = keywords;
            entry.ModSeq = ++_row.HighestModSeq;
            batch.Changes.Add(new FolderChange(FolderChangeKind.FlagsChanged, entry.Uid, entry.ModSeq, entry.ToInfo()));
        }
        batch.Ops.Add(new IndexOp.Update(entry));
    }

    private void RemoveEntry(MessageEntry entry, ChangeBatch batch)
    {
        ulong modSeq = ++_row.HighestModSeq;
        _byFileName.Remove(entry.FileName);
        batch.Removed.Add(entry);
        batch.Ops.Add(new IndexOp.Expunge(entry.Uid, modSeq));
        batch.Changes.Add(new FolderChange(FolderChangeKind.Expunged, entry.Uid, modSeq));
    }

    /// <summary>Writes a batch to the index, then tells subscribers. On failure the in-memory state is reloaded.</summary>
    private async Task CommitLockedAsync(ChangeBatch batch)
    {
        try
        {
            await _db.CommitAsync(_row, batch.Ops, CancellationToken.None).ConfigureAwait(false);
            if (batch.Ops.Count > 0) _stateStale = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _reloadNeeded = true;
            throw new MailStoreException($"Could not update the index of {Name}: {e.Message}", e);
        }
        if (batch.Removed.Count > 0)
        {
            var removed = batch.Removed.ToHashSet();
            _messages.RemoveAll(removed.Contains);
        }
        if (batch.Added.Count > 0)
        {
            bool ordered = _messages.Count == 0 || batch.Added[0].Uid > _messages[^1].Uid;
            _messages.AddRange(batch.Added);
            if (!ordered || !IsAscending(batch.Added)) _messages.Sort((a, b) => a.Uid.CompareTo(b.Uid));
        }
        _hub.Publish(batch.Changes);
    }

    private static bool IsAscending(List<MessageEntry> entries)
    {
        for (int i = 1; i < entries.Count; i++) if (entries[i].Uid <= entries[i - 1].Uid) return false;
        return true;
    }

    /// <summary>Index changes collected under the folder lock, committed in one transaction.</summary>
    private sealed class ChangeBatch
    {
        public List<IndexOp> Ops { get; } = [];
        public List<FolderChange> Changes { get; } = [];
        public List<MessageEntry> Added { get; } = [];
        public List<MessageEntry> Removed { get; } = [];
    }
}
