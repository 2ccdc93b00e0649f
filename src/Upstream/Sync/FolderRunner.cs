using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>Runs (or in a dry run, accounts for) one folder's plan and records the new status marks.</summary>
internal sealed class FolderRunner(IMailSide[] sides, SyncStateStore state, SyncOptions options)
{
    public async Task RunAsync(FolderScan scan, FolderPlan plan, FolderReport report, CancellationToken ct)
    {
        var flagChanges = new int[2];
        foreach (var action in plan.Flags)
        {
            for (var side = 0; side < 2; side++)
            {
                flagChanges[side] += action.Current(side).Equals(action.Target) ? 0 : 1;
            }
        }
        if (options.DryRun)
        {
            foreach (var copy in plan.Copies)
            {
                report.Copied[1 - copy.FromSide]++;
                report.Bytes += copy.Identity.Size;
            }
            for (var side = 0; side < 2; side++)
            {
                report.FlagsChanged[side] = flagChanges[side];
                report.Expunged[side] = plan.Expunge[side].Count;
            }
            return;
        }
        options.Progress?.Report(new FolderStarted(scan.Name, plan.Copies.Count, plan.Copies.Sum(c => c.Identity.Size),
            plan.Flags.Count, plan.Expunge[0].Count + plan.Expunge[1].Count));
        try
        {
            var complete = await new FolderExecutor(sides, state, options).ExecuteAsync(scan, plan, report, ct).ConfigureAwait(false);
            complete &= scan.Listings[0].UidValidity == scan.Status[0].UidValidity
                        && scan.Listings[1].UidValidity == scan.Status[1].UidValidity;
            if (complete)
            {
                // The status read before listing: anything that changed after it shows up as a change next run,
                // unless it moved only by our own writes, provably (see SettledStatus).
                var recorded = new SideState[2];
                for (var side = 0; side < 2; side++)
                {
                    recorded[side] = await SettledStatus.FindAsync(sides, side, scan, ct).ConfigureAwait(false);
                }
                await state.WriteAsync(tx =>
                {
                    for (var side = 0; side < 2; side++)
                    {
                        tx.SetSideState(scan.Pair.Id, side, recorded[side]);
                    }
                }, ct).ConfigureAwait(false);
            }
            report.Complete = complete;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            report.Error = $"{ex.GetType().Name}: {ex.Message}";
            options.Progress?.Report(new SyncWarning(scan.Name, report.Error));
        }
    }
}
