namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>A dry run reports the plan and changes nothing; the real run then does exactly what it reported.</summary>
public sealed class DryRunTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DryRunChangesNothingAndPredictsTheRealRun(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await Scenario.SetUpSyncedAsync(h);
        await Scenario.ChangeBothSidesAsync(h);
        var upBefore = SideOps.Describe(await SideOps.SnapshotAsync(h.Upstream));
        var localBefore = SideOps.Describe(await SideOps.SnapshotAsync(h.Local));
        var stateBefore = await DumpStateAsync(h);
        var writesBefore = Writes(h);

        var dry = await h.SyncAsync(new SyncOptions { DryRun = true });

        Assert.True(dry.DryRun);
        Assert.Equal(writesBefore, Writes(h));
        Assert.Equal(upBefore, SideOps.Describe(await SideOps.SnapshotAsync(h.Upstream)));
        Assert.Equal(localBefore, SideOps.Describe(await SideOps.SnapshotAsync(h.Local)));
        Assert.Equal(stateBefore, await DumpStateAsync(h));
        Assert.Single(dry.Moves);
        Assert.Equal(3, dry.FolderActions.Count); // Up/New and Local/New created, Empty deleted

        var real = await h.SyncAsync();

        Assert.Equal(Summary(dry), Summary(real));
        Assert.Equal(dry.FolderActions, real.FolderActions);
        Assert.Single(real.Moves);
        await h.SyncToConvergenceAsync();
        await h.AssertSidesEqualAsync();
    }

    private static int Writes(SyncHarness h) =>
        new[] { "append", "store", "expunge", "move", "create", "delete", "rename" }
            .Sum(op => h.Upstream.CallCount(op) + h.Local.CallCount(op));

    private static string Summary(SyncReport report) => string.Join("\n", report.Folders.Select(f =>
        $"{f.Folder}: stopped={f.Stopped is not null} copied={f.Copied[0]}/{f.Copied[1]} flags={f.FlagsChanged[0]}/{f.FlagsChanged[1]} "
        + $"expunged={f.Expunged[0]}/{f.Expunged[1]} bytes={f.Bytes}"));

    private static Task<string> DumpStateAsync(SyncHarness h) => h.State.ReadAsync(tx =>
    {
        var folders = tx.GetFolders();
        return string.Join("\n", folders.Select(f => $"{f} {string.Join(",", tx.GetMappings(f.Id))}").Append($"journal {tx.GetIntents().Count}"));
    });
}
