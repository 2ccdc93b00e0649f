using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// Stops a folder whose plan would delete more than <see cref="SyncOptions.MassDeleteShare"/> of a side's messages
/// (in folders above <see cref="SyncOptions.MassDeleteMinMessages"/>). The stop is persisted: the folder stays
/// stopped in later runs until one runs with <see cref="SyncOptions.AllowMassDelete"/>.
/// </summary>
internal sealed class DeletionGuard(IMailSide[] sides, SyncStateStore state, SyncOptions options)
{
    internal const string GuardPrefix = "guard: ";

    /// <summary>Returns true when the plan may proceed.</summary>
    public async Task<bool> CheckAsync(FolderScan scan, FolderPlan plan, FolderReport report, CancellationToken ct)
    {
        for (var side = 0; side < 2; side++)
        {
            var count = scan.Present[side].Count;
            var deletions = plan.Expunge[side].Count;
            if (count <= options.MassDeleteMinMessages || deletions <= options.MassDeleteShare * count)
            {
                continue;
            }
            if (options.AllowMassDelete)
            {
                report.Notes.Add($"mass deletion confirmed: {deletions} of {count} messages on {sides[side].Name}");
                continue;
            }
            var reason = $"{GuardPrefix}{scan.Name}: this sync would delete {deletions} of {count} messages on {sides[side].Name} "
                         + $"(they are gone from {sides[1 - side].Name}); folder stopped. Check, then confirm with allowMassDelete.";
            report.Stopped = reason;
            options.Progress?.Report(new SyncWarning(scan.Name, reason));
            if (!options.DryRun && scan.Pair.Id != 0)
            {
                await state.WriteAsync(tx => tx.SetStopped(scan.Pair.Id, reason), ct).ConfigureAwait(false);
            }
            return false;
        }
        if (scan.Pair.StoppedReason is not null && !options.DryRun)
        {
            report.Notes.Add($"stop lifted ({scan.Pair.StoppedReason})");
            await state.WriteAsync(tx => tx.SetStopped(scan.Pair.Id, null), ct).ConfigureAwait(false);
        }
        return true;
    }
}
