using ImapProxy.Upstream.Sync.InMemory;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>UIDVALIDITY changes, lost state, and servers without UIDPLUS: re-match by content, never duplicate.</summary>
public sealed class RecoveryTests
{
    private static InMemoryMailSide Raw(InstrumentedSide side) => (InMemoryMailSide)side.Inner;

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task UidValidityChangeRematchesByMessageIdAndKeepsFlagChanges(bool swapped, bool localChanged)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        for (var i = 0; i < 5; i++)
        {
            await SideOps.AddAsync(h.Upstream, "INBOX", $"m{i}", i % 2 == 0 ? "S" : "");
        }
        await SideOps.AddAsync(h.Upstream, "INBOX", "noid", "", withMessageId: false);
        await h.SyncToConvergenceAsync();
        var changed = localChanged ? h.Local : h.Upstream;
        var other = localChanged ? h.Upstream : h.Local;
        await SideOps.SetFlagsAsync(other, "INBOX", "m1", "F");     // a change on the stable side, pending
        await SideOps.ExpungeAsync(other, "INBOX", "m3");           // an expunge on the stable side, pending
        Raw(changed).ResetUidValidity("INBOX");
        var appends = h.Upstream.CallCount("append") + h.Local.CallCount("append");

        var report = await h.SyncToConvergenceAsync();

        Assert.Contains(report.Folders.Single(f => f.Folder == "INBOX").Notes, n => n.Contains("UIDVALIDITY", StringComparison.Ordinal));
        Assert.Equal(appends, h.Upstream.CallCount("append") + h.Local.CallCount("append"));
        Assert.Equal(["F"], await SideOps.CopiesAsync(changed, "INBOX", "m1"));
        Assert.Empty(await SideOps.CopiesAsync(changed, "INBOX", "m3"));
        Assert.Equal(5, (await SideOps.SnapshotAsync(changed))["INBOX"].Count);
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LostStateWithFullMirrorPairsEverythingAndCopiesNothing(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        for (var i = 0; i < 4; i++)
        {
            await SideOps.AddAsync(h.Upstream, "INBOX", $"m{i}", "S");
        }
        await h.SyncToConvergenceAsync();
        await h.LoseStateAsync();
        await SideOps.SetFlagsAsync(h.Local, "INBOX", "m0", "FS");
        var appends = h.Upstream.CallCount("append") + h.Local.CallCount("append");

        await h.SyncToConvergenceAsync();

        Assert.Equal(appends, h.Upstream.CallCount("append") + h.Local.CallCount("append"));
        Assert.Equal(["FS"], await SideOps.CopiesAsync(h.Upstream, "INBOX", "m0"));
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LostStateWithEmptyMirrorDownloadsAndDeletesNothing(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        for (var i = 0; i < 30; i++)
        {
            await SideOps.AddAsync(h.Upstream, "INBOX", $"m{i}");
        }
        await h.SyncToConvergenceAsync();
        await h.LoseStateAsync();
        foreach (var folder in await h.Local.ListFoldersAsync(default))
        {
            await h.Local.DeleteFolderAsync(folder.Name, default);
        }

        await h.SyncToConvergenceAsync();

        Assert.Equal(0, h.Upstream.CallCount("expunge"));
        Assert.Equal(30, (await SideOps.SnapshotAsync(h.Upstream))["INBOX"].Count);
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithoutUidPlusAppendedMessagesAreFoundByMessageIdAndSize(bool swapped)
    {
        var noUidPlus = SyncHarness.Full & ~SideCapabilities.AppendUid;
        await using var h = await SyncHarness.CreateAsync(swapped, noUidPlus, SyncHarness.Full);
        await SideOps.AddAsync(h.Upstream, "INBOX", "u");
        await h.SyncToConvergenceAsync();
        await SideOps.AddAsync(h.Local, "INBOX", "l1", "S");
        await SideOps.AddAsync(h.Local, "INBOX", "l2");
        await SideOps.AddAsync(h.Local, "INBOX", "l3", "", withMessageId: false);

        await h.SyncToConvergenceAsync();
        await SideOps.SetFlagsAsync(h.Upstream, "INBOX", "l1", "F");
        await h.SyncToConvergenceAsync();

        Assert.Equal(["F"], await SideOps.CopiesAsync(h.Local, "INBOX", "l1"));
        Assert.Equal(4, (await SideOps.SnapshotAsync(h.Upstream))["INBOX"].Count);
        Assert.True(h.Upstream.CallCount("find") >= 3);
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnchangedFoldersAreNotListedWithModSeq(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await SideOps.AddAsync(h.Upstream, "INBOX", "a");
        await SideOps.AddAsync(h.Upstream, "Other", "b");
        await h.SyncToConvergenceAsync();
        await h.SyncAsync();
        await SideOps.SetFlagsAsync(h.Upstream, "Other", "b", "S");
        var listings = h.Upstream.CallCount("list-all") + h.Upstream.CallCount("list-delta");

        var report = await h.SyncAsync();

        Assert.True(report.Folders.Single(f => f.Folder == "INBOX").Unchanged);
        Assert.False(report.Folders.Single(f => f.Folder == "Other").Unchanged);
        Assert.Equal(listings + 1, h.Upstream.CallCount("list-all") + h.Upstream.CallCount("list-delta"));
        Assert.True(h.Upstream.CallCount("list-delta") >= 1);
        Assert.Equal(["S"], await SideOps.CopiesAsync(h.Local, "Other", "b"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithoutModSeqEveryFolderIsComparedInFull(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped, SideCapabilities.None, SideCapabilities.None);
        await SideOps.AddAsync(h.Upstream, "INBOX", "a");
        await h.SyncToConvergenceAsync();
        await SideOps.SetFlagsAsync(h.Local, "INBOX", "a", "S"); // no status change visible without modseqs

        var report = await h.SyncAsync();

        Assert.False(report.Folders.Single().Unchanged);
        Assert.Equal(0, h.Upstream.CallCount("list-delta"));
        Assert.Equal(["S"], await SideOps.CopiesAsync(h.Upstream, "INBOX", "a"));
    }
}
