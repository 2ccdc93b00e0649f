namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>Moves between folders on one side become moves on the other, without re-uploading.</summary>
public sealed class MoveTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LocalMoveBecomesUpstreamMove(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await SideOps.AddAsync(h.Upstream, "INBOX", "keep");
        await SideOps.AddAsync(h.Upstream, "INBOX", "m", "S");
        await SideOps.EnsureFolderAsync(h.Upstream, "Archive");
        await h.SyncToConvergenceAsync();

        await SideOps.MoveAsync(h.Local, "INBOX", "m", "Archive");
        var appendsBefore = h.Upstream.CallCount("append");
        var report = await h.SyncToConvergenceAsync();

        Assert.Single(report.Moves);
        Assert.Equal(1, h.Upstream.CallCount("move"));
        Assert.Equal(appendsBefore, h.Upstream.CallCount("append"));
        Assert.Equal(["S"], await SideOps.CopiesAsync(h.Upstream, "Archive", "m"));
        Assert.Empty(await SideOps.CopiesAsync(h.Upstream, "INBOX", "m"));
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UpstreamMoveBecomesLocalMove(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await SideOps.AddAsync(h.Upstream, "INBOX", "keep");
        await SideOps.AddAsync(h.Upstream, "INBOX", "m");
        await SideOps.AddAsync(h.Upstream, "Work", "w");
        await h.SyncToConvergenceAsync();

        await SideOps.MoveAsync(h.Upstream, "INBOX", "m", "Work");
        var appendsBefore = h.Local.CallCount("append");
        await h.SyncToConvergenceAsync();

        Assert.Equal(1, h.Local.CallCount("move"));
        Assert.Equal(appendsBefore, h.Local.CallCount("append"));
        Assert.Single(await SideOps.CopiesAsync(h.Local, "Work", "m"));
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FlagsChangedDuringMoveAreMergedOnBothSides(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        await SideOps.AddAsync(h.Upstream, "INBOX", "keep");
        await SideOps.AddAsync(h.Upstream, "INBOX", "m", "S");
        await SideOps.EnsureFolderAsync(h.Upstream, "Archive");
        await h.SyncToConvergenceAsync();

        await SideOps.MoveAsync(h.Local, "INBOX", "m", "Archive");
        await SideOps.SetFlagsAsync(h.Local, "Archive", "m", "FS");   // flagged locally after the move
        await SideOps.SetFlagsAsync(h.Upstream, "INBOX", "m", "AS"); // answered upstream before it moved there
        await h.SyncToConvergenceAsync();

        Assert.Equal(["AFS"], await SideOps.CopiesAsync(h.Upstream, "Archive", "m"));
        Assert.Equal(["AFS"], await SideOps.CopiesAsync(h.Local, "Archive", "m"));
        Assert.Equal(0, h.Upstream.CallCount("append") - 2);
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithoutMoveOnTheOtherSideTheMessageIsCopiedAndExpunged(bool swapped)
    {
        var noMove = SyncHarness.Full & ~SideCapabilities.Move;
        await using var h = await SyncHarness.CreateAsync(swapped, noMove, SyncHarness.Full);
        await SideOps.AddAsync(h.Upstream, "INBOX", "keep");
        await SideOps.AddAsync(h.Upstream, "INBOX", "m");
        await SideOps.EnsureFolderAsync(h.Upstream, "Archive");
        await h.SyncToConvergenceAsync();

        await SideOps.MoveAsync(h.Local, "INBOX", "m", "Archive");
        var appendsBefore = h.Upstream.CallCount("append");
        var report = await h.SyncToConvergenceAsync();

        Assert.Empty(report.Moves);
        Assert.Equal(appendsBefore + 1, h.Upstream.CallCount("append"));
        Assert.Single(await SideOps.CopiesAsync(h.Upstream, "Archive", "m"));
        Assert.Empty(await SideOps.CopiesAsync(h.Upstream, "INBOX", "m"));
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MoveWithoutUidPlusFindsTheMovedMessageByMessageId(bool swapped)
    {
        var noUidPlus = SyncHarness.Full & ~SideCapabilities.AppendUid;
        await using var h = await SyncHarness.CreateAsync(swapped, noUidPlus, SyncHarness.Full);
        await SideOps.AddAsync(h.Upstream, "INBOX", "keep");
        await SideOps.AddAsync(h.Upstream, "INBOX", "m");
        await SideOps.AddAsync(h.Upstream, "Archive", "a");
        await h.SyncToConvergenceAsync();

        await SideOps.MoveAsync(h.Local, "INBOX", "m", "Archive");
        await h.SyncToConvergenceAsync();

        Assert.Equal(1, h.Upstream.CallCount("move"));
        Assert.Single(await SideOps.CopiesAsync(h.Upstream, "Archive", "m"));
        await h.AssertSidesEqualAsync();
    }
}
