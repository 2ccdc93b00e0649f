using ImapProxy.Store.Index;
using ImapProxy.Store.Maildir;

namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    internal AccountStore Account => _account;

    /// <summary>For tests: runs between a batch's renames and its index transaction (a crash there is simulated by throwing).</summary>
    internal Func<Task>? BatchPlacedHook { get; set; }

    /// <summary>Starts a batch of appends with one durable point (see <see cref="AppendBatch"/>).</summary>
    public AppendBatch BeginAppendBatch()
    {
        if (_closed) throw new FolderNotFoundException(Name);
        return new AppendBatch(this, _account.Analyzer, "ipb" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));
    }

    /// <summary>
    /// Deletes the temporary files a batch named <paramref name="token"/> left in <c>tmp/</c> (a crash before its
    /// commit). Files it already renamed into place are not touched: they are whole, durable messages. A token that
    /// is not one of <see cref="BeginAppendBatch"/>'s is ignored, so a damaged journal cannot delete other files.
    /// </summary>
    public void DiscardBatchFiles(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length != 19 || !token.StartsWith("ipb", StringComparison.Ordinal) || !token[3..].All(char.IsAsciiHexDigitLower)) return;
        try
        {
            foreach (var file in Directory.EnumerateFiles(TmpDirectory, token + ".*")) MessageWriter.TryDelete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the tmp/ sweep gets them later */ }
    }

    /// <summary>One message of a batch, written and synced in tmp/, ready to go into place.</summary>
    internal sealed record BatchItem(string TmpPath, MessageFlags Flags, string[] Keywords, DateTimeOffset InternalDate, long Size, CachedAnalysis Analysis);

    /// <summary>
    /// Renames durable tmp/ files into new/ or cur/, fsyncs those directories once, then records all of them in one
    /// index transaction: a message is in the index only once its file and name are durable.
    /// </summary>
    internal async Task<IReadOnlyList<BatchAppendResult>> CommitBatchAsync(List<BatchItem> items, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var placed = new List<(BatchItem Item, string FileName, bool InNew)>(items.Count);
            try
            {
                foreach (var item in items)
                {
                    AssignKeywordLetters(item.Keywords);
                    bool inNew = item.Flags == MessageFlags.None && !HasKeywordLetters(item.Keywords);
                    string baseName = MaildirFileName.NewBaseName(_account.HostName);
                    string fileName = inNew ? baseName : ComposeName(baseName, item.Flags, item.Keywords, baseName, sameFolder: true);
                    File.Move(item.TmpPath, System.IO.Path.Combine(inNew ? NewDirectory : CurDirectory, fileName), overwrite: false);
                    ExpectOwnChange(fileName, inNew);
                    placed.Add((item, fileName, inNew));
                }
                if (placed.Any(p => p.InNew)) Durability.SyncDirectory(NewDirectory);
                if (placed.Any(p => !p.InNew)) Durability.SyncDirectory(CurDirectory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not recorded. Files already in place are whole and synced: the rescan adopts them (and the
                // synchronizer's journal finds them there), so nothing is deleted. The rest stay for DiscardBatchFiles.
                _reloadNeeded = true;
                throw new StoreIOException($"Cannot deliver into {Name}: {e.Message}", e);
            }
            if (BatchPlacedHook is { } hook)
            {
                _reloadNeeded = true; // as after a crash: what is on disk and not indexed must be found by the rescan
                await hook().ConfigureAwait(false);
                _reloadNeeded = false;
            }
            var batch = new ChangeBatch();
            var results = new List<BatchAppendResult>(placed.Count);
            foreach (var (item, fileName, inNew) in placed)
            {
                var entry = new MessageEntry
                {
                    Uid = _row.UidNext++, FileName = fileName, InNew = inNew, Flags = item.Flags, Keywords = item.Keywords,
                    ModSeq = ++_row.HighestModSeq, InternalDate = item.InternalDate.ToUnixTimeMilliseconds(), Size = item.Size,
                };
                AddEntry(entry, item.Analysis, batch);
                results.Add(new BatchAppendResult(entry.Uid, entry.ModSeq, MaildirFileName.BaseName(fileName)));
            }
            await CommitLockedAsync(batch).ConfigureAwait(false);
            return results;
        }
        finally { _gate.Release(); }
    }
}
