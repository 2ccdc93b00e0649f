namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>
/// Journal replay: the scenario's sync is cut by a simulated crash at its k-th change to a side, for every k (before
/// the change takes effect, and after it took effect but before its reply), then rerun after a restart. The result
/// must equal the uninterrupted run's: no message lost, none duplicated, flags merged the same.
/// </summary>
public sealed class CrashReplayTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (var swapped in new[] { false, true })
        {
            foreach (var after in new[] { false, true })
            {
                yield return [swapped, after, "full"];
                yield return [swapped, after, "no-uidplus"];
                yield return [swapped, after, "none"];
            }
        }
    }

    private static SideCapabilities Caps(string variant) => variant switch
    {
        "full" => SyncHarness.Full,
        "no-uidplus" => SyncHarness.Full & ~SideCapabilities.AppendUid,
        _ => SideCapabilities.None,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CrashAtEveryStepThenRerunConverges(bool swapped, bool afterEffect, string variant)
    {
        var expected = await RunAsync(swapped, variant, failAt: 0, afterEffect);
        Assert.NotNull(expected.Snapshot);
        var crashes = 0;
        for (var k = 1; k < 200; k++)
        {
            var result = await RunAsync(swapped, variant, k, afterEffect);
            if (result.Snapshot is null)
            {
                break; // k is past the last change: no crash happened
            }
            crashes++;
            Assert.True(expected.Snapshot == result.Snapshot,
                $"crash at step {k} ({(afterEffect ? "after" : "before")} effect) changed the outcome\nexpected:\n{expected.Snapshot}\ngot:\n{result.Snapshot}");
        }
        Assert.True(crashes >= 10, $"only {crashes} crash points: the scenario is too small to mean anything");
    }

    private sealed record Outcome(string? Snapshot);

    private static async Task<Outcome> RunAsync(bool swapped, string variant, int failAt, bool afterEffect)
    {
        var caps = Caps(variant);
        await using var h = await SyncHarness.CreateAsync(swapped, caps, caps);
        await Scenario.SetUpSyncedAsync(h);
        await Scenario.ChangeBothSidesAsync(h);
        h.Faults.FailAt = failAt == 0 ? 0 : h.Faults.Count + failAt;
        h.Faults.AfterEffect = afterEffect;
        try
        {
            await h.SyncAsync();
        }
        catch (IOException)
        {
            // The crash may surface from any phase; a dead process does not finish its run.
        }
        if (failAt > 0 && !h.Faults.Triggered)
        {
            return new Outcome(null);
        }
        h.Faults.Reset();
        await h.ReopenStateAsync();
        var recovery = await h.SyncAsync();
        Assert.True(recovery.Success, SyncHarness.Explain(recovery));
        await h.SyncToConvergenceAsync();
        await h.AssertSidesEqualAsync();
        return new Outcome(SideOps.Describe(await SideOps.SnapshotAsync(h.Upstream)));
    }
}
