using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// Matches the folders of both sides with the folder pairs in the state, and creates, deletes and renames folders.
/// </summary>
/// <remarks>
/// A folder new on one side is created on the other. A folder gone from one side is: renamed on the other, when a
/// new folder appeared on that side with the gone folder's UIDVALIDITY (RENAME keeps it); else deleted on the other
/// only if it is empty there and unchanged since the last sync; else kept, reported and stopped until the user
/// chooses (<see cref="SyncOptions.RecreateDeletedFolders"/> or <see cref="SyncOptions.AllowMassDelete"/>).
/// </remarks>
internal sealed class FolderPairing(IMailSide[] sides, SyncStateStore state, SyncOptions options, SyncReport report)
{
    internal const string DeletedPrefix = "deleted: ";

    public async Task<List<FolderWork>> PairAsync(IReadOnlyList<FolderStatus>[] listed, CancellationToken ct)
    {
        var include = options.IncludeFolder ?? (_ => true);
        listed = listed.Select(l => (IReadOnlyList<FolderStatus>)l.Where(f => include(f.Name)).ToList()).ToArray();
        var status = listed.Select(l => l.ToDictionary(f => f.Name, StringComparer.Ordinal)).ToArray();
        var pairs = (await state.ReadAsync(tx => tx.GetFolders(), ct).ConfigureAwait(false)).Where(p => include(p.Name)).ToList();
        var known = pairs.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var work = new List<FolderWork>();
        var renamedTo = new HashSet<string>(StringComparer.Ordinal);

        foreach (var pair in pairs)
        {
            var here = new[] { status[0].GetValueOrDefault(pair.Name), status[1].GetValueOrDefault(pair.Name) };
            if (here[0] is null && here[1] is null)
            {
                await ChangeAsync(pair.Id, null, tx => tx.DeleteFolder(pair.Id), $"{pair.Name}: gone from both sides; forgotten", ct).ConfigureAwait(false);
                continue;
            }
            if (here[0] is not null && here[1] is not null)
            {
                work.Add(new FolderWork(pair, here));
                continue;
            }
            var missing = here[0] is null ? 0 : 1;
            var other = 1 - missing;
            if (pair.Side(missing) is null)
            {
                work.Add(await CreateAsync(pair, missing, here, ct).ConfigureAwait(false));
                continue;
            }
            var renamed = FindRename(pair, missing, status, known, renamedTo);
            if (renamed is not null)
            {
                renamedTo.Add(renamed.Name);
                work.AddRange(await RenameAsync(pair, other, renamed, status, ct).ConfigureAwait(false));
                continue;
            }
            var found = await DeletedOnOneSideAsync(pair, missing, here[other]!, ct).ConfigureAwait(false);
            if (found is not null)
            {
                work.Add(found);
            }
        }

        foreach (var side in new[] { 0, 1 })
        {
            foreach (var folder in listed[side])
            {
                if (known.Contains(folder.Name) || renamedTo.Contains(folder.Name)
                    || (side == 1 && status[0].ContainsKey(folder.Name)))
                {
                    continue;
                }
                var otherStatus = status[1 - side].GetValueOrDefault(folder.Name);
                var here = side == 0 ? new[] { folder, otherStatus } : new[] { otherStatus, folder };
                var pair = options.DryRun
                    ? new FolderPairState(0, folder.Name, null, null, null)
                    : await state.WriteAsync(tx => new FolderPairState(tx.AddFolder(folder.Name), folder.Name, null, null, null), ct).ConfigureAwait(false);
                work.Add(otherStatus is null ? await CreateAsync(pair, 1 - side, here, ct).ConfigureAwait(false) : new FolderWork(pair, here));
            }
        }
        return work;
    }

    private static FolderStatus? FindRename(
        FolderPairState pair, int side, Dictionary<string, FolderStatus>[] status, HashSet<string> known, HashSet<string> taken)
    {
        var uidValidity = pair.Side(side)!.UidValidity;
        var candidates = status[side].Values
            .Where(f => f.UidValidity == uidValidity && !known.Contains(f.Name) && !taken.Contains(f.Name)
                        && !status[1 - side].ContainsKey(f.Name))
            .ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }

    private async Task<FolderWork> CreateAsync(FolderPairState pair, int side, FolderStatus?[] here, CancellationToken ct)
    {
        var action = $"{pair.Name}: create on {sides[side].Name}";
        report.FolderActions.Add(action);
        if (options.DryRun)
        {
            return new FolderWork(pair, here);
        }
        var intentId = await state.WriteAsync(
            tx => tx.AddIntent(pair.Id, new JournalIntent { Op = JournalOps.CreateFolder, Side = side, Name = pair.Name }), ct)
            .ConfigureAwait(false);
        var created = await sides[side].CreateFolderAsync(pair.Name, ct).ConfigureAwait(false);
        await state.WriteAsync(tx => tx.CompleteIntent(intentId), ct).ConfigureAwait(false);
        var status = (FolderStatus?[])here.Clone();
        status[side] = created;
        return new FolderWork(pair, status);
    }

    private async Task<IEnumerable<FolderWork>> RenameAsync(
        FolderPairState pair, int side, FolderStatus renamed, Dictionary<string, FolderStatus>[] status, CancellationToken ct)
    {
        var action = $"{pair.Name}: renamed to {renamed.Name} on {sides[1 - side].Name}; rename on {sides[side].Name}";
        await ChangeAsync(pair.Id, new JournalIntent { Op = JournalOps.RenameFolder, Side = side, Name = renamed.Name },
            tx => tx.RenameFolder(pair.Id, renamed.Name), action, ct,
            () => sides[side].RenameFolderAsync(pair.Name, renamed.Name, ct)).ConfigureAwait(false);
        if (options.DryRun)
        {
            return [];
        }
        var newPair = pair with { Name = renamed.Name };
        var here = new FolderStatus?[2];
        here[1 - side] = renamed;
        here[side] = status[side][pair.Name] with { Name = renamed.Name };
        return [new FolderWork(newPair, here)];
    }

    private async Task<FolderWork?> DeletedOnOneSideAsync(FolderPairState pair, int missing, FolderStatus present, CancellationToken ct)
    {
        var other = 1 - missing;
        var before = pair.Side(other);
        var emptyAndUnchanged = present.MessageCount == 0 && before is not null
                                && before.UidValidity == present.UidValidity && before.UidNext == present.UidNext;
        if (emptyAndUnchanged || options.AllowMassDelete)
        {
            var action = $"{pair.Name}: deleted on {sides[missing].Name}; delete on {sides[other].Name} ({present.MessageCount} messages)";
            await ChangeAsync(pair.Id, new JournalIntent { Op = JournalOps.DeleteFolder, Side = other, Name = pair.Name },
                tx => tx.DeleteFolder(pair.Id), action, ct,
                () => sides[other].DeleteFolderAsync(pair.Name, ct)).ConfigureAwait(false);
            return null;
        }
        if (options.RecreateDeletedFolders)
        {
            if (!options.DryRun)
            {
                await state.WriteAsync(tx =>
                {
                    // Without a mapping, both sides must be listed in full: forget both status marks.
                    tx.DeleteAllMappings(pair.Id);
                    tx.SetSideState(pair.Id, 0, null);
                    tx.SetSideState(pair.Id, 1, null);
                    tx.SetStopped(pair.Id, null);
                }, ct).ConfigureAwait(false);
            }
            var reset = pair with { Side0 = null, Side1 = null, StoppedReason = null };
            var here = new FolderStatus?[2];
            here[other] = present;
            return await CreateAsync(reset, missing, here, ct).ConfigureAwait(false);
        }
        var reason = $"{DeletedPrefix}{pair.Name} was deleted on {sides[missing].Name} but holds {present.MessageCount} messages "
                     + $"(or changed) on {sides[other].Name}; kept. Confirm with allowMassDelete to delete it there too, "
                     + "or recreateDeletedFolders to copy it back.";
        report.Folders.Add(new FolderReport { Folder = pair.Name, Stopped = reason });
        report.Warnings.Add(reason);
        options.Progress?.Report(new SyncWarning(pair.Name, reason));
        if (!options.DryRun && pair.StoppedReason != reason)
        {
            await state.WriteAsync(tx => tx.SetStopped(pair.Id, reason), ct).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>A folder-level change: journal, act, record, close the journal entry (or in a dry run, only report).</summary>
    private async Task ChangeAsync(
        long folderId, JournalIntent? intent, Action<StateTransaction> record, string action, CancellationToken ct, Func<Task>? act = null)
    {
        report.FolderActions.Add(action);
        if (options.DryRun)
        {
            return;
        }
        long? intentId = intent is null ? null : await state.WriteAsync(tx => tx.AddIntent(folderId, intent), ct).ConfigureAwait(false);
        if (act is not null)
        {
            await act().ConfigureAwait(false);
        }
        await state.WriteAsync(tx =>
        {
            record(tx);
            if (intentId is { } id)
            {
                tx.CompleteIntent(id);
            }
        }, ct).ConfigureAwait(false);
    }
}
