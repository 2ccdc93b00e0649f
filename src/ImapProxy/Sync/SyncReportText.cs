using System.Globalization;
using ImapProxy.Upstream.Sync;

namespace ImapProxy.Sync;

/// <summary>
/// Plain log lines for a finished pass: one per folder that did (or in a dry run would) change something, was
/// stopped or failed, plus a total. Side 0 is upstream and side 1 the mirror, as <see cref="AccountSynchronizer"/>
/// sets them up: "down" is upstream → mirror, "up" mirror → upstream.
/// </summary>
public static class SyncReportText
{
    /// <summary>The lines for <paramref name="report"/> of account <paramref name="account"/>, each prefixed with the account name.</summary>
    public static IReadOnlyList<string> Lines(string account, SyncReport report, TimeSpan elapsed)
    {
        var lines = new List<string>();
        var verb = report.DryRun ? "would " : "";
        lines.AddRange(report.Warnings.Select(w => $"{account}: warning: {w}"));
        lines.AddRange(report.FolderActions.Select(a => $"{account}: {verb}{a}"));
        lines.AddRange(report.Moves.Select(m => $"{account}: {verb}move {m.From} → {m.To} ({(m.MovedOnSide == 0 ? "upstream" : "local")} move, {(m.MovedOnSide == 0 ? "local" : "upstream")} follows)"));
        int unchanged = 0, down = 0, up = 0;
        foreach (var folder in report.Folders)
        {
            if (folder.Error is not null)
            {
                lines.Add($"{account}: {folder.Folder}: failed: {folder.Error}");
                continue;
            }
            if (folder.Stopped is not null)
            {
                lines.Add($"{account}: {folder.Folder}: stopped: {folder.Stopped}");
                continue;
            }
            var counts = report.DryRun ? Planned(folder.Plan) : (Copied: folder.Copied, Flags: folder.FlagsChanged, Expunged: folder.Expunged);
            if (folder.Unchanged || counts.Copied.Sum() + counts.Flags.Sum() + counts.Expunged.Sum() == 0)
            {
                unchanged++;
                continue;
            }
            down += counts.Copied[1];
            up += counts.Copied[0];
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{account}: {folder.Folder}: {verb}copy {counts.Copied[1]} down, {counts.Copied[0]} up; flags {counts.Flags[1]} local, {counts.Flags[0]} upstream; "
                + $"expunge {counts.Expunged[1]} local, {counts.Expunged[0]} upstream{(folder.Complete || report.DryRun ? "" : " (incomplete: retried next run)")}"));
            lines.AddRange(folder.Notes.Select(n => $"{account}: {folder.Folder}: {n}"));
        }
        if (report.Aborted is not null)
        {
            lines.Add($"{account}: stopped: {report.Aborted}");
        }
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"{account}: {(report.DryRun ? "dry run, nothing changed" : "done")} in {elapsed.TotalSeconds:0.0} s: {report.Folders.Count} folders ({unchanged} unchanged), "
            + $"{down} {(report.DryRun ? "to download" : "downloaded")}, {up} {(report.DryRun ? "to upload" : "uploaded")}"));
        return lines;
    }

    private static (int[] Copied, int[] Flags, int[] Expunged) Planned(FolderPlan? plan)
    {
        var copied = new int[2];
        var flags = new int[2];
        var expunged = new int[2];
        if (plan is null)
        {
            return (copied, flags, expunged);
        }
        foreach (var copy in plan.Copies)
        {
            copied[1 - copy.FromSide]++;
        }
        foreach (var change in plan.Flags)
        {
            for (var side = 0; side < 2; side++)
            {
                if (!change.Current(side).Equals(change.Target))
                {
                    flags[side]++;
                }
            }
        }
        expunged[0] = plan.Expunge[0].Count;
        expunged[1] = plan.Expunge[1].Count;
        return (copied, flags, expunged);
    }
}
