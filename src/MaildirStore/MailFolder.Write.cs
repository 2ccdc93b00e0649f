using ImapProxy.Store.Index;
using ImapProxy.Store.Maildir;

namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    /// <summary>
    /// Appends a message: written to tmp/ and fsynced, renamed into new/ (no flags) or cur/, directory fsynced, and
    /// only then recorded in the index.
    /// </summary>
    /// <exception cref="StoreIOException">Disk full, permission denied, ...; nothing recorded.</exception>
    public async Task<AppendResult> AppendAsync(Stream message, MessageFlags flags = MessageFlags.None,
        IReadOnlyCollection<string>? keywords = null, DateTimeOffset? internalDate = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        string[] keywordList = Keywords.Normalize(keywords);
        var date = internalDate ?? DateTimeOffset.UtcNow;
        string baseName = MaildirFileName.NewBaseName(_account.HostName);
        string tmpPath = System.IO.Path.Combine(TmpDirectory, baseName);
        long size;
        try
        {
            size = await MessageWriter.WriteAsync(message, tmpPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreIOException($"Cannot write to {Name}: {e.Message}", e);
        }
        CachedAnalysis analysis;
        try
        {
            await using var written = File.OpenRead(tmpPath);
            analysis = (await _account.Analyzer.AnalyzeAsync(written, cancellationToken).ConfigureAwait(false)).Cache;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            analysis = CachedAnalysis.None;
        }

        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            AssignKeywordLetters(keywordList);
            bool inNew = flags == MessageFlags.None && !HasKeywordLetters(keywordList);
            string fileName = inNew ? baseName : ComposeName(baseName, flags, keywordList, baseName, sameFolder: true);
            string finalPath = System.IO.Path.Combine(inNew ? NewDirectory : CurDirectory, fileName);
            try
            {
                File.Move(tmpPath, finalPath, overwrite: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                MessageWriter.TryDelete(tmpPath);
                throw new StoreIOException($"Cannot deliver into {Name}: {e.Message}", e);
            }
            ExpectOwnChange(fileName, inNew);
            TrySetMtime(finalPath, date);
            try
            {
                Durability.SyncDirectory(inNew ? NewDirectory : CurDirectory);
            }
            catch (IOException e)
            {
                // Not durably in place, so not recorded: take the file back out (the rescan would adopt it otherwise).
                MessageWriter.TryDelete(finalPath);
                throw new StoreIOException($"Cannot deliver into {Name}: {e.Message}", e);
            }
            var entry = new MessageEntry
            {
                Uid = _row.UidNext++, FileName = fileName, InNew = inNew, Flags = flags, Keywords = keywordList,
                ModSeq = ++_row.HighestModSeq, InternalDate = date.ToUnixTimeMilliseconds(), Size = size,
            };
            var batch = new ChangeBatch();
            AddEntry(entry, analysis, batch);
            await CommitLockedAsync(batch).ConfigureAwait(false);
            return new AppendResult(_row.UidValidity, entry.Uid, entry.ModSeq);
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// Changes flags and keywords (STORE). Flags live in the file name (renamed, new/ → cur/), keywords in the index.
    /// Each changed message gets a new MODSEQ; with <paramref name="unchangedSince"/>, messages changed after it are
    /// left alone and reported in <see cref="StoreResult.Modified"/> (RFC 7162).
    /// </summary>
    public async Task<StoreResult> StoreFlagsAsync(IReadOnlyCollection<uint> uids, FlagChangeMode mode, MessageFlags flags,
        IReadOnlyCollection<string>? keywords = null, ulong? unchangedSince = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        string[] keywordList = Keywords.Normalize(keywords);
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureNamesLockedAsync(cancellationToken).ConfigureAwait(false);
            var updated = new List<MessageInfo>();
            var modified = new List<uint>();
            var batch = new ChangeBatch();
            bool renamed = false;
            foreach (uint uid in uids.Order())
            {
                if (Find(uid) is not { } entry) continue;
                if (unchangedSince is { } limit && entry.ModSeq > limit) { modified.Add(uid); continue; }
                var newFlags = mode switch
                {
                    FlagChangeMode.Add => entry.Flags | flags,
                    FlagChangeMode.Remove => entry.Flags & ~flags,
                    _ => flags,
                };
                var newKeywords = Keywords.Apply(entry.Keywords, mode, keywordList);
                if (newFlags == entry.Flags && newKeywords is null) { updated.Add(entry.ToInfo()); continue; }
                if (newKeywords is not null) AssignKeywordLetters(newKeywords);
                string newName = ComposeName(MaildirFileName.BaseName(entry.FileName), newFlags, newKeywords ?? entry.Keywords,
                    entry.FileName, sameFolder: true);
                if (newFlags != entry.Flags || newName != entry.FileName)
                {
                    if (!TryRename(entry, newName, newFlags)) continue; // gone meanwhile: the next scan expunges it
                    renamed = true;
                }
                if (newKeywords is not null) entry.Keywords = newKeywords;
                entry.ModSeq = ++_row.HighestModSeq;
                batch.Ops.Add(new IndexOp.Update(entry));
                batch.Changes.Add(new FolderChange(FolderChangeKind.FlagsChanged, entry.Uid, entry.ModSeq, entry.ToInfo()));
                updated.Add(entry.ToInfo());
            }
            if (renamed) SyncDirectoryOrThrow(CurDirectory);
            await CommitLockedAsync(batch).ConfigureAwait(false);
            return new StoreResult(updated, modified);
        }
        finally { _gate.Release(); }
    }

    private bool TryRename(MessageEntry entry, string newName, MessageFlags newFlags)
    {
        string oldPath = PathOf(entry);
        try
        {
            File.Move(oldPath, System.IO.Path.Combine(CurDirectory, newName), overwrite: false);
        }
        catch (FileNotFoundException) { return false; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _reloadNeeded = true; // earlier renames of this STORE are picked up by the rescan
            throw new StoreIOException($"Cannot change flags in {Name}: {e.Message}", e);
        }
        ExpectOwnChange(entry.FileName, entry.InNew);
        ExpectOwnChange(newName, false);
        _byFileName.Remove(entry.FileName);
        entry.FileName = newName;
        entry.InNew = false;
        entry.Flags = newFlags;
        _byFileName[newName] = entry;
        return true;
    }

    /// <summary>
    /// Expunges the messages flagged \Deleted (all of them, or those among <paramref name="uids"/> for UID EXPUNGE):
    /// files unlinked, directory fsynced, then tombstones with new MODSEQs recorded. Returns the expunged UIDs.
    /// </summary>
    public async Task<IReadOnlyList<uint>> ExpungeAsync(IReadOnlyCollection<uint>? uids = null, CancellationToken cancellationToken = default)
    {
        var only = uids?.ToHashSet();
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureNamesLockedAsync(cancellationToken).ConfigureAwait(false);
            var batch = new ChangeBatch();
            var doomed = _messages.Where(m => m.Flags.HasFlag(MessageFlags.Deleted) && (only is null || only.Contains(m.Uid))).ToList();
            bool fromNew = false, fromCur = false;
            foreach (var entry in doomed)
            {
                try
                {
                    File.Delete(PathOf(entry));
                    ExpectOwnChange(entry.FileName, entry.InNew);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _reloadNeeded = true; // the rescan on the next access records what was deleted so far
                    throw new StoreIOException($"Cannot expunge from {Name}: {e.Message}", e);
                }
                fromNew |= entry.InNew;
                fromCur |= !entry.InNew;
                RemoveEntry(entry, batch);
            }
            if (fromNew) SyncDirectoryOrThrow(NewDirectory);
            if (fromCur) SyncDirectoryOrThrow(CurDirectory);
            await CommitLockedAsync(batch).ConfigureAwait(false);
            return doomed.Select(e => e.Uid).ToList();
        }
        finally { _gate.Release(); }
    }

    private void SyncDirectoryOrThrow(string directory)
    {
        try { Durability.SyncDirectory(directory); }
        catch (IOException e) { throw new StoreIOException($"Cannot sync {Name}: {e.Message}", e); }
    }

    private static void TrySetMtime(string path, DateTimeOffset date)
    {
        try { File.SetLastWriteTimeUtc(path, date.UtcDateTime); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException) { /* INTERNALDATE lives in the index too */ }
    }
}
