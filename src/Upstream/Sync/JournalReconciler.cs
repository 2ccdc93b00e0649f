using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// At start-up, resolves intents an interrupted run left in the journal. A copy or move whose result was not
/// recorded is looked for on the target (Message-ID, size, UID at or above the UIDNEXT seen before) and mapped if
/// found, so it is never done twice. An expunge is finished (see <see cref="ReconcileExpungeAsync"/>). Flag stores
/// and folder operations are idempotent: the fresh three-way comparison of this run redoes or completes them, so
/// their intents are simply closed.
/// </summary>
internal sealed class JournalReconciler(IMailSide[] sides, SyncStateStore state)
{
    private static readonly FlagSet DeletedFlag = FlagSet.Of(@"\Deleted");

    public async Task<List<string>> ReconcileAsync(CancellationToken ct)
    {
        var notes = new List<string>();
        var entries = await state.ReadAsync(tx => tx.GetIntents(), ct).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            return notes;
        }
        var folders = (await state.ReadAsync(tx => tx.GetFolders(), ct).ConfigureAwait(false)).ToDictionary(f => f.Id);
        foreach (var entry in entries)
        {
            var intent = entry.Intent;
            var note = folders.TryGetValue(entry.FolderId, out var folder)
                ? intent.Op switch
                {
                    JournalOps.Copy => await ReconcileCopyAsync(entry, folder, ct).ConfigureAwait(false),
                    JournalOps.CopyBatch => await ReconcileCopyBatchAsync(entry, folder, ct).ConfigureAwait(false),
                    JournalOps.Move when folders.TryGetValue(intent.ToFolderId, out var to) =>
                        await ReconcileMoveAsync(entry, folder, to, ct).ConfigureAwait(false),
                    JournalOps.Expunge => await ReconcileExpungeAsync(entry, folder, ct).ConfigureAwait(false),
                    _ => null,
                }
                : null;
            if (note is null)
            {
                await state.WriteAsync(tx => tx.CompleteIntent(entry.Id), ct).ConfigureAwait(false);
                note = $"interrupted {intent.Op} closed; redone by this run's comparison if still needed";
            }
            notes.Add($"journal #{entry.Id} ({folder?.Name ?? "?"}): {note}");
        }
        return notes;
    }

    private async Task<string> ReconcileCopyAsync(JournalEntry entry, FolderPairState folder, CancellationToken ct)
    {
        var intent = entry.Intent;
        var to = intent.Side;
        var from = 1 - to;
        var mappings = await state.ReadAsync(tx => tx.GetMappings(folder.Id), ct).ConfigureAwait(false);
        var taken = mappings.Select(m => m.Uid(to)).ToHashSet();
        var sourceUid = intent.Uids[0];
        var found = await FindAsync(to, folder.Name, intent, taken, ct).ConfigureAwait(false);
        await state.WriteAsync(tx =>
        {
            if (found is { } uid)
            {
                var identity = new MessageIdentity(sourceUid, intent.MessageId, intent.Size,
                    DateTimeOffset.FromUnixTimeSeconds(intent.DateUnix), intent.Key);
                tx.PutMapping(folder.Id, MappedMessage.From(from, sourceUid, uid, FlagSet.Parse(intent.Flags), identity, null));
            }
            else
            {
                tx.DeleteMapping(folder.Id, from, sourceUid);
            }
            tx.CompleteIntent(entry.Id);
        }, ct).ConfigureAwait(false);
        return found is null ? "interrupted copy not found on target; will be copied again" : $"interrupted copy found as UID {found}; mapped";
    }

    /// <summary>
    /// A batch copy cut short: its temporary traces on the target are discarded, then each message not yet mapped is
    /// looked for on the target (whole messages the batch put in place before the crash, found by Message-ID and
    /// size at or above the UIDNEXT seen before) and mapped if found, so it is never downloaded or uploaded twice.
    /// </summary>
    private async Task<string> ReconcileCopyBatchAsync(JournalEntry entry, FolderPairState folder, CancellationToken ct)
    {
        var intent = entry.Intent;
        var to = intent.Side;
        var from = 1 - to;
        var exists = (await sides[to].ListFoldersAsync(ct).ConfigureAwait(false)).Any(f => f.Name == folder.Name);
        if (exists && intent.Token is { } token)
        {
            await sides[to].DiscardBatchAsync(folder.Name, token, ct).ConfigureAwait(false);
        }
        var mappings = await state.ReadAsync(tx => tx.GetMappings(folder.Id), ct).ConfigureAwait(false);
        var taken = mappings.Select(m => m.Uid(to)).ToHashSet();
        // Mapped by this batch before the crash: the copy's UID is at or above the UIDNEXT seen before. An older
        // mapping of the same source (a re-copy after an expunge on the target) does not count: its copy is new.
        var mappedSources = mappings.Where(m => m.Uid(to) >= intent.MinUid).Select(m => m.Uid(from)).ToHashSet();
        var found = new List<(JournalCopyItem Item, uint Uid)>();
        var missing = new List<JournalCopyItem>();
        foreach (var item in intent.Items ?? [])
        {
            if (mappedSources.Contains(item.Uid))
            {
                continue; // recorded before the crash
            }
            var uid = exists
                ? await BatchCopier.FindCopyAsync(sides[to], folder.Name, item.MessageId, item.Size, intent.MinUid, taken, ct).ConfigureAwait(false)
                : null;
            if (uid is { } u)
            {
                taken.Add(u);
                found.Add((item, u));
            }
            else
            {
                missing.Add(item);
            }
        }
        await state.WriteAsync(tx =>
        {
            found.ForEach(f => tx.PutMapping(folder.Id, MappedMessage.From(from, f.Item.Uid, f.Uid, FlagSet.Parse(f.Item.Flags), f.Item.Identity(), null)));
            missing.ForEach(m => tx.DeleteMapping(folder.Id, from, m.Uid));
            tx.CompleteIntent(entry.Id);
        }, ct).ConfigureAwait(false);
        return $"interrupted batch copy of {intent.Items?.Length ?? 0}: {found.Count} found on {sides[to].Name} and mapped, {missing.Count} to copy again";
    }

    private async Task<string> ReconcileMoveAsync(JournalEntry entry, FolderPairState from, FolderPairState to, CancellationToken ct)
    {
        var intent = entry.Intent;
        var side = intent.Side;
        var mappings = await state.ReadAsync(tx => tx.GetMappings(to.Id), ct).ConfigureAwait(false);
        var taken = mappings.Select(m => m.Uid(side)).ToHashSet();
        var found = await FindAsync(side, to.Name, intent, taken, ct).ConfigureAwait(false);
        await state.WriteAsync(tx =>
        {
            if (found is { } uid)
            {
                var identity = new MessageIdentity(uid, intent.MessageId, intent.Size,
                    DateTimeOffset.FromUnixTimeSeconds(intent.DateUnix), intent.Key);
                var flags = intent.Flags is null ? null : FlagSet.Parse(intent.Flags);
                tx.DeleteMapping(from.Id, side, intent.Uids[0]);
                tx.PutMapping(to.Id, MappedMessage.From(side, uid, intent.OtherUid, flags, identity, null));
            }
            tx.CompleteIntent(entry.Id);
        }, ct).ConfigureAwait(false);
        return found is null ? "interrupted move not found in target; compared afresh" : $"interrupted move found as UID {found}; mapped";
    }

    /// <summary>
    /// An expunge is two steps on a side (mark \Deleted, then expunge), and an interruption between them leaves the
    /// message there with one flag more than the base: the fresh comparison would take that for a change and copy
    /// the message back (expunge-versus-change keeps it), resurrecting it with \Deleted on both sides. So the
    /// expunge is finished for each message still there whose flags are the base, with or without \Deleted. A
    /// message changed otherwise since is kept (only our \Deleted is taken back) and left to the comparison.
    /// </summary>
    private async Task<string?> ReconcileExpungeAsync(JournalEntry entry, FolderPairState folder, CancellationToken ct)
    {
        var intent = entry.Intent;
        var side = sides[intent.Side];
        if ((await side.ListFoldersAsync(ct).ConfigureAwait(false)).All(f => f.Name != folder.Name))
        {
            return null;
        }
        var listing = await side.ListMessagesAsync(folder.Name, 0, ct).ConfigureAwait(false);
        var present = listing.Messages.ToDictionary(m => m.Uid, m => m.Flags);
        var mappings = (await state.ReadAsync(tx => tx.GetMappings(folder.Id), ct).ConfigureAwait(false)).ToDictionary(m => m.Uid(intent.Side));
        var finish = new List<uint>();
        var kept = new List<uint>();
        foreach (var uid in intent.Uids)
        {
            if (!present.TryGetValue(uid, out var flags))
            {
                continue;
            }
            var baseFlags = mappings.GetValueOrDefault(uid)?.BaseFlags;
            if (baseFlags is not null && (flags.Equals(baseFlags) || flags.Equals(baseFlags.Union(DeletedFlag))))
            {
                finish.Add(uid);
            }
            else if (flags.Contains(@"\Deleted") && baseFlags?.Contains(@"\Deleted") != true)
            {
                kept.Add(uid);
                await side.StoreFlagsAsync(folder.Name, uid, FlagSet.Empty, DeletedFlag, 0, ct).ConfigureAwait(false);
            }
        }
        if (finish.Count > 0)
        {
            await side.ExpungeAsync(folder.Name, finish, ct).ConfigureAwait(false);
        }
        await state.WriteAsync(tx =>
        {
            finish.ForEach(uid => tx.DeleteMapping(folder.Id, intent.Side, uid));
            tx.CompleteIntent(entry.Id);
        }, ct).ConfigureAwait(false);
        return $"interrupted expunge on {side.Name} finished for {finish.Count} messages"
               + (kept.Count > 0 ? $", {kept.Count} changed since kept" : "");
    }

    private async Task<uint?> FindAsync(int side, string folder, JournalIntent intent, HashSet<uint> taken, CancellationToken ct)
    {
        var exists = (await sides[side].ListFoldersAsync(ct).ConfigureAwait(false)).Any(f => f.Name == folder);
        return exists
            ? await BatchCopier.FindCopyAsync(sides[side], folder, intent.MessageId, intent.Size, intent.MinUid, taken, ct).ConfigureAwait(false)
            : null;
    }
}
