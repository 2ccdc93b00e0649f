using ImapProxy.Upstream.Sync;
using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Sync;

/// <summary>Records each sync run's outcome in the state's run log, for <c>imapproxy status</c>.</summary>
internal static class RunLogRecorder
{
    /// <summary>Records a finished run: each folder's outcome and the account's. Dry runs record nothing.</summary>
    public static Task RecordAsync(SyncStateStore state, SyncReport report, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (report.DryRun)
        {
            return Task.CompletedTask;
        }
        return state.WriteAsync(tx =>
        {
            foreach (var folder in report.Folders)
            {
                tx.RecordRun(folder.Folder, at, FolderError(folder));
            }
            tx.RecordRun(RunLogEntry.AccountKey, at, AccountError(report));
        }, cancellationToken);
    }

    /// <summary>Records a run that failed as a whole (the upstream unreachable, the login refused).</summary>
    public static Task RecordFailureAsync(SyncStateStore state, string error, DateTimeOffset at, CancellationToken cancellationToken) =>
        state.WriteAsync(tx => tx.RecordRun(RunLogEntry.AccountKey, at, error), cancellationToken);

    private static string? FolderError(FolderReport folder) =>
        folder.Error ?? (folder.Stopped is not null ? $"stopped: {folder.Stopped}"
            : folder.Complete || folder.Unchanged ? null : "incomplete; finished at the next sync");

    private static string? AccountError(SyncReport report)
    {
        if (report.Aborted is not null) return report.Aborted;
        var failed = report.Folders.Count(f => FolderError(f) is not null);
        return failed == 0 ? null : $"{failed} folder{(failed == 1 ? "" : "s")} not synced completely";
    }
}
