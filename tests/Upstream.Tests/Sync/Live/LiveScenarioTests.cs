namespace ImapProxy.Upstream.Tests.Sync.Live;

/// <summary>The rich scenario (every rule at once) between a real Dovecot and a real Maildir store.</summary>
public sealed class LiveScenarioTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true, "CONDSTORE", "QRESYNC", "UIDPLUS", "MOVE", "LIST-STATUS")]
    public async Task Scenario_converges_between_dovecot_and_maildir(bool swapped, params string[] hidden)
    {
        await using var h = await SyncHarness.CreateLiveAsync(swapped, hidden);
        await Scenario.SetUpSyncedAsync(h);
        await Scenario.ChangeBothSidesAsync(h);

        await h.SyncToConvergenceAsync();

        await h.AssertSidesEqualAsync();
        Assert.Equal(["AS"], await SideOps.CopiesAsync(h.Upstream, "INBOX", "m6"));
        Assert.Empty(await SideOps.CopiesAsync(h.Upstream, "INBOX", "m4"));
        Assert.Single(await SideOps.CopiesAsync(h.Upstream, "Archive", "m5"));
        Assert.Single(await SideOps.CopiesAsync(h.Local, "Up/New", "u2"));
        Assert.Single(await SideOps.CopiesAsync(h.Upstream, "Local/New", "l2"));
    }
}
