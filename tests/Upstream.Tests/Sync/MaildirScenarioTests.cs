namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>The rich scenario with the local side a real Maildir store: every rule at once, both side orders.</summary>
public sealed class MaildirScenarioTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ScenarioConvergesOnMaildir(bool swapped)
    {
        await using var h = await SyncHarness.CreateWithMaildirAsync(swapped);
        await Scenario.SetUpSyncedAsync(h);
        await Scenario.ChangeBothSidesAsync(h);

        await h.SyncToConvergenceAsync();

        await h.AssertSidesEqualAsync();
        Assert.Equal(["AS"], await SideOps.CopiesAsync(h.Upstream, "INBOX", "m6")); // expunged upstream, changed locally: kept
        Assert.Empty(await SideOps.CopiesAsync(h.Upstream, "INBOX", "m4"));
        Assert.Single(await SideOps.CopiesAsync(h.Upstream, "Archive", "m5"));
        Assert.Single(await SideOps.CopiesAsync(h.Local, "Up/New", "u2"));
        Assert.Single(await SideOps.CopiesAsync(h.Upstream, "Local/New", "l2"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CrashesOnMaildirNeverLoseOrDuplicate(bool swapped)
    {
        for (var k = 1; k < 200; k += 3)
        {
            await using var h = await SyncHarness.CreateWithMaildirAsync(swapped);
            await Scenario.SetUpSyncedAsync(h);
            await Scenario.ChangeBothSidesAsync(h);
            h.Faults.FailAt = h.Faults.Count + k;
            h.Faults.AfterEffect = k % 2 == 0;
            try
            {
                await h.SyncAsync();
            }
            catch (IOException)
            {
                // Simulated crash.
            }
            if (!h.Faults.Triggered)
            {
                Assert.True(k > 10, $"only {k} crash points");
                return;
            }
            h.Faults.Reset();
            await h.ReopenStateAsync();
            await h.SyncAsync();
            await h.SyncToConvergenceAsync();
            await h.AssertSidesEqualAsync();
            Assert.Single(await SideOps.CopiesAsync(h.Upstream, "Archive", "m5"));
            Assert.Single(await SideOps.CopiesAsync(h.Local, "INBOX", "l1"));
            Assert.Single(await SideOps.CopiesAsync(h.Local, "INBOX", "u1"));
            Assert.Single(await SideOps.CopiesAsync(h.Upstream, "INBOX", "m6"));
        }
    }
}
