namespace ImapProxy.Upstream.Tests.Sync;

/// <summary><see cref="SyncOptions.IncludeFolder"/>: folders left out are not touched, and their state survives.</summary>
public sealed class FolderFilterTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Folders_left_out_are_neither_synced_nor_forgotten(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await SideOps.AddAsync(h.Upstream, "INBOX", "i1", "S");
        await SideOps.AddAsync(h.Upstream, "Archive", "a1", "S");
        await h.SyncToConvergenceAsync();

        await SideOps.AddAsync(h.Upstream, "INBOX", "i2");
        await SideOps.AddAsync(h.Upstream, "Archive", "a2");
        await SideOps.SetFlagsAsync(h.Local, "Archive", "a1", "F");
        await SideOps.AddAsync(h.Upstream, "New", "n1");
        var onlyInbox = new SyncOptions { IncludeFolder = name => name == "INBOX" };
        var report = await h.SyncAsync(onlyInbox);

        Assert.True(report.Success, SyncHarness.Explain(report));
        Assert.Equal(["INBOX"], report.Folders.Select(f => f.Folder));
        Assert.Empty(report.FolderActions);
        Assert.Single(await SideOps.CopiesAsync(h.Local, "INBOX", "i2"));
        Assert.Empty(await SideOps.CopiesAsync(h.Local, "Archive", "a2"));
        Assert.Equal(["S"], await SideOps.CopiesAsync(h.Upstream, "Archive", "a1"));
        Assert.DoesNotContain(await h.Local.ListFoldersAsync(default), f => f.Name == "New");

        // The next full run picks up where the state left off: S→F locally is a change against the base "S" (a lost
        // base would have united the flags into "FS").
        await h.SyncToConvergenceAsync();
        Assert.Equal(["F"], await SideOps.CopiesAsync(h.Upstream, "Archive", "a1"));
        Assert.Single(await SideOps.CopiesAsync(h.Local, "New", "n1"));
        await h.AssertSidesEqualAsync();
    }
}
