using ImapProxy.Store.Index;
using ImapProxy.Store.Maildir;

namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    /// <summary>
    /// Copies messages into <paramref name="target"/> (hard link where possible, else a durable copy); flags, keywords
    /// and the cached parse results go along, new UIDs are given (COPYUID).
    /// </summary>
    public Task<CopyResult> CopyToAsync(IReadOnlyCollection<uint> uids, MailFolder target, CancellationToken cancellationToken = default) =>
        TransferAsync(uids, target, move: false, cancellationToken);

    /// <summary>
    /// Moves messages into <paramref name="target"/>: the file is renamed across (keeping its base name), gets a new
    /// UID there and is expunged here (with a tombstone MODSEQ).
    /// </summary>
    public Task<CopyResult> MoveToAsync(IReadOnlyCollection<uint> uids, MailFolder target, CancellationToken cancellationToken = default) =>
        TransferAsync(uids, target, move: true, cancellationToken);

    private async Task<CopyResult> TransferAsync(IReadOnlyCollection<uint> uids, MailFolder target, bool move, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(target);
        if (target._account != _account) throw new ArgumentException("The target folder belongs to another account.", nameof(target));
        if (target == this)
        {
            await EnterAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await EnsureNamesLockedAsync(cancellationToken).ConfigureAwait(false);
                return await TransferLockedAsync(uids, this, move, cancellationToken).ConfigureAwait(false);
            }
            finally { _gate.Release(); }
        }
        // Lock in a fixed order so two opposite moves cannot deadlock.
        var (first, second) = Id < target.Id ? (this, target) : (target, this);
        await first.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await second.EnterAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await EnsureNamesLockedAsync(cancellationToken).ConfigureAwait(false);
                await target.EnsureNamesLockedAsync(cancellationToken).ConfigureAwait(false);
                return await TransferLockedAsync(uids, target, move, cancellationToken).ConfigureAwait(false);
            }
            finally { second._gate.Release(); }
        }
        finally { first._gate.Release(); }
    }

    private async Task<CopyResult> TransferLockedAsync(IReadOnlyCollection<uint> uids, MailFolder target, bool move, CancellationToken cancellationToken)
    {
        var pairs = new List<UidPair>();
        var targetBatch = new ChangeBatch();
        var sourceBatch = target == this ? targetBatch : new ChangeBatch();
        var sources = uids.Distinct().Order().Select(Find).OfType<MessageEntry>().ToList();
        try
        {
            foreach (var entry in sources)
            {
                var analysis = await _db.GetCacheAsync(Id, entry.Uid, cancellationToken).ConfigureAwait(false) ?? CachedAnalysis.None;
                string? name = move && target != this
                    ? MoveFile(entry, target)
                    : await CopyFileAsync(entry, target, cancellationToken).ConfigureAwait(false);
                if (name is null) continue; // vanished meanwhile
                var copy = new MessageEntry
                {
                    Uid = target._row.UidNext++, FileName = name, InNew = entry.InNew, Flags = entry.Flags, Keywords = entry.Keywords,
                    ModSeq = ++target._row.HighestModSeq, InternalDate = entry.InternalDate, Size = entry.Size,
                };
                target.AddEntry(copy, analysis, targetBatch);
                if (move) RemoveEntry(entry, sourceBatch);
                pairs.Add(new UidPair(entry.Uid, copy.Uid));
            }
            if (move && target == this)
            {
                foreach (var entry in sourceBatch.Removed) MessageWriter.TryDelete(PathOf(entry));
            }
            target.SyncDirectoryOrThrow(target.NewDirectory);
            target.SyncDirectoryOrThrow(target.CurDirectory);
            if (move && target != this)
            {
                SyncDirectoryOrThrow(NewDirectory);
                SyncDirectoryOrThrow(CurDirectory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StoreIOException)
        {
            // Files moved or copied so far are found again by the rescan the next access does.
            _reloadNeeded = true;
            target._reloadNeeded = true;
            throw e as StoreIOException ?? new StoreIOException($"Cannot transfer from {Name} to {target.Name}: {e.Message}", e);
        }
        // The target first: a crash between the two commits leaves the message in both indexes; the source's
        // rescan then finds its file gone and expunges it. Never the other way round (lost from both).
        await target.CommitLockedAsync(targetBatch).ConfigureAwait(false);
        if (move && target != this) await CommitLockedAsync(sourceBatch).ConfigureAwait(false);
        return new CopyResult(target.UidValidity, pairs);
    }

    private string? MoveFile(MessageEntry entry, MailFolder target)
    {
        target.AssignKeywordLetters(entry.Keywords);
        string name = entry.InNew && !entry.FileName.Contains(":2,", StringComparison.Ordinal)
            ? entry.FileName
            : target.ComposeName(MaildirFileName.BaseName(entry.FileName), entry.Flags, entry.Keywords, entry.FileName, sameFolder: target == this);
        string destDir = entry.InNew ? target.NewDirectory : target.CurDirectory;
        if (File.Exists(System.IO.Path.Combine(destDir, name)))
            name = RenamedCopy(entry, target);
        try
        {
            File.Move(PathOf(entry), System.IO.Path.Combine(destDir, name), overwrite: false);
            ExpectOwnChange(entry.FileName, entry.InNew);
            target.ExpectOwnChange(name, entry.InNew);
            return name;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private async Task<string?> CopyFileAsync(MessageEntry entry, MailFolder target, CancellationToken cancellationToken)
    {
        target.AssignKeywordLetters(entry.Keywords);
        string name = RenamedCopy(entry, target);
        string destPath = System.IO.Path.Combine(entry.InNew ? target.NewDirectory : target.CurDirectory, name);
        if (!File.Exists(PathOf(entry))) return null;
        if (Durability.TryHardLink(PathOf(entry), destPath))
        {
            target.ExpectOwnChange(name, entry.InNew);
            return name;
        }
        string tmpPath = System.IO.Path.Combine(target.TmpDirectory, MaildirFileName.BaseName(name));
        try
        {
            await using (var source = File.OpenRead(PathOf(entry)))
                await MessageWriter.WriteAsync(source, tmpPath, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        File.Move(tmpPath, destPath, overwrite: false);
        target.ExpectOwnChange(name, entry.InNew);
        TrySetMtime(destPath, DateTimeOffset.FromUnixTimeMilliseconds(entry.InternalDate));
        return name;
    }

    /// <summary>A fresh base name with the same info part (a copy is a new message, so it must not share identity).</summary>
    private string RenamedCopy(MessageEntry entry, MailFolder target)
    {
        string baseName = MaildirFileName.NewBaseName(_account.HostName);
        if (entry.InNew && !entry.FileName.Contains(":2,", StringComparison.Ordinal)) return baseName;
        return target.ComposeName(baseName, entry.Flags, entry.Keywords, entry.FileName, sameFolder: target == this);
    }
}
