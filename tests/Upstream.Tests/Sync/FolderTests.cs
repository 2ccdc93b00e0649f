namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>Folder creation, deletion and rename, both ways.</summary>
public sealed class FolderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FolderCreatedOnEitherSideIsCreatedOnTheOther(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await SideOps.AddAsync(h.Upstream, "INBOX", "i");
        await h.SyncToConvergenceAsync();
        await SideOps.AddAsync(h.Upstream, "Lists/dev", "d", "S");
        await SideOps.EnsureFolderAsync(h.Local, "Drafts");

        var report = await h.SyncToConvergenceAsync();

        Assert.Equal(2, report.FolderActions.Count);
        Assert.Equal(["S"], await SideOps.CopiesAsync(h.Local, "Lists/dev", "d"));
        Assert.Contains((await h.Upstream.ListFoldersAsync(default)), f => f.Name == "Drafts");
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EmptyFolderDeletedOnOneSideIsDeletedOnTheOther(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await SideOps.AddAsync(h.Upstream, "INBOX", "i");
        await SideOps.EnsureFolderAsync(h.Upstream, "Old");
        await h.SyncToConvergenceAsync();
        await h.Upstream.DeleteFolderAsync("Old", default);

        await h.SyncToConvergenceAsync();

        Assert.DoesNotContain(await h.Local.ListFoldersAsync(default), f => f.Name == "Old");
        Assert.DoesNotContain(await h.State.ReadAsync(tx => tx.GetFolders()), f => f.Name == "Old");
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NonEmptyFolderDeletedOnOneSideIsKeptStoppedThenRecreatedOnRequest(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await SideOps.AddAsync(h.Upstream, "INBOX", "i");
        await SideOps.AddAsync(h.Upstream, "Old", "o1");
        await h.SyncToConvergenceAsync();
        await h.Local.DeleteFolderAsync("Old", default);

        var stopped = await h.SyncAsync();
        Assert.False(stopped.Success);
        Assert.Contains(stopped.Folders, f => f.Folder == "Old" && f.Stopped is not null);
        Assert.Single(await SideOps.CopiesAsync(h.Upstream, "Old", "o1"));
        var again = await h.SyncAsync();
        Assert.Contains(again.Folders, f => f.Folder == "Old" && f.Stopped is not null);
        Assert.Single(await SideOps.CopiesAsync(h.Upstream, "Old", "o1"));

        var recreated = await h.SyncAsync(new SyncOptions { RecreateDeletedFolders = true });
        Assert.True(recreated.Success, SyncHarness.Explain(recreated));
        await h.SyncToConvergenceAsync();
        Assert.Single(await SideOps.CopiesAsync(h.Local, "Old", "o1"));
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NonEmptyFolderDeletedOnOneSideIsDeletedWhenConfirmed(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await SideOps.AddAsync(h.Upstream, "INBOX", "i");
        await SideOps.AddAsync(h.Upstream, "Old", "o1");
        await h.SyncToConvergenceAsync();
        await h.Local.DeleteFolderAsync("Old", default);
        Assert.False((await h.SyncAsync()).Success);

        await h.SyncToConvergenceAsync(new SyncOptions { AllowMassDelete = true });

        Assert.DoesNotContain(await h.Upstream.ListFoldersAsync(default), f => f.Name == "Old");
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FolderWithNewMessagesDeletedOnOneSideIsNotDeleted(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await SideOps.AddAsync(h.Upstream, "INBOX", "i");
        await SideOps.EnsureFolderAsync(h.Upstream, "Old");
        await h.SyncToConvergenceAsync();
        await h.Upstream.DeleteFolderAsync("Old", default);
        await SideOps.AddAsync(h.Local, "Old", "fresh");

        var report = await h.SyncAsync();

        Assert.Contains(report.Folders, f => f.Folder == "Old" && f.Stopped is not null);
        Assert.Single(await SideOps.CopiesAsync(h.Local, "Old", "fresh"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RenameIsRecognisedAndNothingIsCopied(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await SideOps.AddAsync(h.Upstream, "INBOX", "i");
        await SideOps.AddAsync(h.Upstream, "Projects", "p1", "S");
        await SideOps.AddAsync(h.Upstream, "Projects", "p2");
        await h.SyncToConvergenceAsync();
        var appends = h.Local.CallCount("append") + h.Upstream.CallCount("append");
        await h.Upstream.RenameFolderAsync("Projects", "Done", default);

        var report = await h.SyncToConvergenceAsync();

        Assert.Equal(1, h.Local.CallCount("rename"));
        Assert.Equal(appends, h.Local.CallCount("append") + h.Upstream.CallCount("append"));
        Assert.Contains(report.FolderActions, a => a.Contains("Done", StringComparison.Ordinal));
        Assert.Equal(["S"], await SideOps.CopiesAsync(h.Local, "Done", "p1"));
        Assert.DoesNotContain(await h.Local.ListFoldersAsync(default), f => f.Name == "Projects");
        await h.AssertSidesEqualAsync();
    }
}
