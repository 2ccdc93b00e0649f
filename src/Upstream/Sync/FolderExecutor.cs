using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// Carries out one folder's plan. Every change to a side is preceded by a journal intent and followed by one state
/// transaction that records the result and removes the intent, so a crash anywhere leaves either nothing or an
/// intent that <see cref="JournalReconciler"/> resolves.
/// </summary>
internal sealed class FolderExecutor(IMailSide[] sides, SyncStateStore state, SyncOptions options)
{
    /// <summary>Executes the plan; returns true when everything was done.</summary>
    public async Task<bool> ExecuteAsync(FolderScan scan, FolderPlan plan, FolderReport report, CancellationToken ct)
    {
        var id = scan.Pair.Id;
        await state.WriteAsync(tx =>
        {
            if (plan.ReplaceMappings)
            {
                tx.DeleteAllMappings(id);
                plan.Mappings.ForEach(m => tx.PutMapping(id, m));
            }
            plan.NewMappings.ForEach(m => tx.PutMapping(id, m));
            plan.Forget.ForEach(m => tx.DeleteMapping(id, 0, m.Uid0));
        }, ct).ConfigureAwait(false);

        var complete = await ApplyFlagsAsync(scan, plan, report, ct).ConfigureAwait(false);
        for (var side = 0; side < 2; side++)
        {
            await ExpungeAsync(scan, side, plan.Expunge[side], report, ct).ConfigureAwait(false);
        }
        var copier = new BatchCopier(sides, state, options.Progress);
        complete &= await copier.CopyAllAsync(scan, plan.Copies, report, ct).ConfigureAwait(false);
        return complete;
    }

    private async Task<bool> ApplyFlagsAsync(FolderScan scan, FolderPlan plan, FolderReport report, CancellationToken ct)
    {
        if (plan.Flags.Count == 0)
        {
            return true;
        }
        var intentId = await state.WriteAsync(
            tx => tx.AddIntent(scan.Pair.Id, new JournalIntent { Op = JournalOps.Flags, Uids = plan.Flags.Select(f => f.Mapping.Uid0).ToArray() }),
            ct).ConfigureAwait(false);
        var agreed = new List<FlagAction>();
        foreach (var action in plan.Flags)
        {
            var ok = true;
            for (var side = 0; side < 2 && ok; side++)
            {
                var current = action.Current(side);
                if (current.Equals(action.Target))
                {
                    continue;
                }
                var uid = action.Mapping.Uid(side);
                var since = scan.ModSeqs[side].GetValueOrDefault(uid);
                ok = await sides[side].StoreFlagsAsync(scan.Name, uid, action.Target.Except(current), current.Except(action.Target), since, ct)
                    .ConfigureAwait(false);
                if (ok)
                {
                    report.FlagsChanged[side]++;
                }
                else
                {
                    report.Notes.Add($"{sides[side].Name} UID {uid}: flags changed meanwhile; merged next run");
                }
            }
            if (ok)
            {
                agreed.Add(action);
            }
        }
        await state.WriteAsync(tx =>
        {
            agreed.ForEach(a => tx.SetBaseFlags(scan.Pair.Id, a.Mapping.Uid0, a.Target));
            tx.CompleteIntent(intentId);
        }, ct).ConfigureAwait(false);
        foreach (var action in agreed)
        {
            for (var side = 0; side < 2; side++)
            {
                if (!action.Current(side).Equals(action.Target))
                {
                    scan.NoteWritten(side, action.Mapping.Uid(side), action.Target);
                }
            }
        }
        return agreed.Count == plan.Flags.Count;
    }

    private async Task ExpungeAsync(FolderScan scan, int side, List<MappedMessage> victims, FolderReport report, CancellationToken ct)
    {
        if (victims.Count == 0)
        {
            return;
        }
        var uids = victims.Select(m => m.Uid(side)).ToArray();
        var intentId = await state.WriteAsync(
            tx => tx.AddIntent(scan.Pair.Id, new JournalIntent { Op = JournalOps.Expunge, Side = side, Uids = uids }), ct)
            .ConfigureAwait(false);
        await sides[side].ExpungeAsync(scan.Name, uids, ct).ConfigureAwait(false);
        scan.Removed[side].UnionWith(uids);
        await state.WriteAsync(tx =>
        {
            victims.ForEach(m => tx.DeleteMapping(scan.Pair.Id, 0, m.Uid0));
            tx.CompleteIntent(intentId);
        }, ct).ConfigureAwait(false);
        report.Expunged[side] += uids.Length;
    }
}
