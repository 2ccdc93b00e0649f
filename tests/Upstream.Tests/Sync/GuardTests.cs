using ImapProxy.Upstream.Sync.InMemory;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>The deletion guard and the wiped-side check.</summary>
public sealed class GuardTests
{
    private static async Task<SyncHarness> SyncedAsync(bool swapped, int count)
    {
        var h = await SyncHarness.CreateAsync(swapped);
        for (var i = 0; i < count; i++)
        {
            await SideOps.AddAsync(h.Upstream, "INBOX", $"m{i}");
        }
        await SideOps.AddAsync(h.Upstream, "Other", "o");
        await h.SyncToConvergenceAsync();
        return h;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MassDeletionStopsTheFolderUntilConfirmed(bool swapped)
    {
        await using var h = await SyncedAsync(swapped, 30);
        for (var i = 0; i < 16; i++)
        {
            await SideOps.ExpungeAsync(h.Local, "INBOX", $"m{i}");
        }

        var first = await h.SyncAsync();
        var inbox = first.Folders.Single(f => f.Folder == "INBOX");
        Assert.NotNull(inbox.Stopped);
        Assert.Contains("16 of 30", inbox.Stopped, StringComparison.Ordinal);
        Assert.Equal(30, (await SideOps.SnapshotAsync(h.Upstream))["INBOX"].Count);

        await h.ReopenStateAsync();
        var second = await h.SyncAsync();
        Assert.NotNull(second.Folders.Single(f => f.Folder == "INBOX").Stopped);
        Assert.Equal(0, h.Upstream.CallCount("expunge"));

        await h.SyncToConvergenceAsync(new SyncOptions { AllowMassDelete = true });
        Assert.Equal(14, (await SideOps.SnapshotAsync(h.Upstream))["INBOX"].Count);
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false, 30, 15)] // exactly half: allowed
    [InlineData(true, 30, 15)]
    [InlineData(false, 20, 19)] // small folder: allowed
    [InlineData(true, 20, 19)]
    public async Task DeletionsWithinTheLimitProceed(bool swapped, int count, int deleted)
    {
        await using var h = await SyncedAsync(swapped, count);
        for (var i = 0; i < deleted; i++)
        {
            await SideOps.ExpungeAsync(h.Upstream, "INBOX", $"m{i}");
        }

        await h.SyncToConvergenceAsync();

        Assert.Equal(count - deleted, (await SideOps.SnapshotAsync(h.Local))["INBOX"].Count);
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WipedMirrorWithIntactStateDeletesNothingUpstream(bool swapped)
    {
        await using var h = await SyncedAsync(swapped, 3);
        var raw = (InMemoryMailSide)h.Local.Inner;
        foreach (var folder in await raw.ListFoldersAsync(default))
        {
            await raw.ExpungeAsync(folder.Name, (await raw.ListMessagesAsync(folder.Name, 0, default)).Messages.Select(m => m.Uid).ToList(), default);
        }

        var report = await h.SyncAsync();

        Assert.NotNull(report.Aborted);
        Assert.Equal(3, (await SideOps.SnapshotAsync(h.Upstream))["INBOX"].Count);
        Assert.Equal(0, h.Upstream.CallCount("expunge"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WipedMirrorFoldersAreKeptUpstream(bool swapped)
    {
        await using var h = await SyncedAsync(swapped, 3);
        foreach (var folder in await h.Local.ListFoldersAsync(default))
        {
            await h.Local.DeleteFolderAsync(folder.Name, default);
        }

        var report = await h.SyncAsync();

        Assert.NotNull(report.Aborted);
        Assert.Equal(0, h.Upstream.CallCount("delete"));
        Assert.Equal(2, (await h.Upstream.ListFoldersAsync(default)).Count);
    }
}
