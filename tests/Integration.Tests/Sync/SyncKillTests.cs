using System.Collections.Concurrent;
using System.Globalization;
using ImapProxy.TestSupport;
using ImapProxy.Upstream.Sync.State;
using Xunit;
using Xunit.Abstractions;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// Issue 6: the real <c>imapproxy sync</c> (the executable, three upstream connections, folders in parallel) is
/// killed with SIGKILL inside its journaled work: initial sync and three incremental syncs, each with downloads,
/// uploads, flag changes, expunges, moves and new folders on both sides. The kill is aimed through a
/// <see cref="FaultRelay"/> on its upstream: at a random journaled command (held back, or done by the server with
/// the reply held back, or replied to with the process left to go on locally for a few ms), or at a random byte of
/// the traffic. The next run replays the journal; it must leave both sides holding exactly the right messages
/// (bodies by SHA-256, flags, no duplicates), and the run after it must have nothing to do. Every other account
/// syncs with a Dovecot that hides CONDSTORE, QRESYNC, UIDPLUS, MOVE and LIST-STATUS, so the journal's fallbacks
/// (finding an interrupted upload by Message-ID, COPY + EXPUNGE for a move) are killed too.
/// </summary>
/// <remarks>
/// Every trial is a real kill: a frozen relay keeps the process from finishing its pass, so the kill cannot come
/// too late; a run that finished anyway (its aim was past its last journaled command) is followed by a new round of
/// changes and a run aimed at its first journaled command. Seeded (<see cref="TrialSeed"/>); a failure prints seed,
/// account, phase, aim and both runs' output.
/// </remarks>
public sealed class SyncKillTests(ITestOutputHelper output)
{
    private const int TrialAccounts = 6;
    private const int Phases = 4;
    private const int Attempts = 3;

    [Fact]
    public async Task A_sync_killed_inside_its_journaled_work_is_completed_by_the_next_run_without_loss_or_duplicates()
    {
        var seed = TrialSeed.Value;
        var users = Enumerable.Range(0, TrialAccounts + 1).Select(i => new DovecotUser($"kill{i:D2}", "secret")).ToList();
        await using var bed = await DovecotTestBed.StartAsync(new DovecotOptions { Users = users });
        // Every other account syncs with a server that hides the extensions: the fallbacks (no APPENDUID to map a
        // copy by, no MOVE, no UID EXPUNGE, full flag listings) must survive the same faults.
        await using var plain = await DovecotTestBed.StartAsync(new DovecotOptions { Users = users, HiddenCapabilities = TrialSeed.Extensions });
        using var root = new TrialDirectory("imapproxy-kills-");

        // Account 0 runs every phase to the end: it checks the executable and the model, and counts each phase's
        // journaled commands and bytes, the range the trials aim in.
        var calibration = new SyncAccount(bed, users[0], root.Sub("0"), 0) { Connections = 3 };
        var phaseCommands = new int[Phases];
        var phaseBytes = new long[Phases];
        var calibrationRandom = new Random(seed);
        for (var phase = 0; phase < Phases; phase++)
        {
            await PrepareAsync(calibration, calibrationRandom, phase * 10);
            await using var relay = FaultRelay.Start(bed.Host, bed.Port);
            relay.FreezeOnLine = line =>
            {
                if (line.FromClient && KillAim.IsJournaled(line.Text))
                {
                    Interlocked.Increment(ref phaseCommands[phase]);
                }
                return false;
            };
            var run = await SyncProcess.RunAsync(calibration, relay, 0);
            Assert.True(run.ExitCode == 0, $"seed {seed}, unkilled phase {phase}: {run.Describe()}");
            phaseBytes[phase] = relay.BytesRelayed;
            var check = await calibration.ConvergeAsync();
            Assert.True(check.Ok, $"seed {seed}, unkilled phase {phase}:\n{check}");
        }

        var failures = new ConcurrentBag<string>();
        var trials = new ConcurrentBag<KillTrial>();
        await Parallel.ForEachAsync(Enumerable.Range(1, TrialAccounts), new ParallelOptions { MaxDegreeOfParallelism = 3 }, async (n, _) =>
        {
            var random = new Random(seed * 1000 + 500 + n);
            var account = new SyncAccount(n % 2 == 0 ? plain : bed, users[n], root.Sub(n.ToString(CultureInfo.InvariantCulture)), n) { Connections = 3 };
            for (var phase = 0; phase < Phases; phase++)
            {
                var trial = await KillOnceAsync(account, random, phase, phaseCommands[phase], phaseBytes[phase]);
                trials.Add(trial);
                var check = await account.ConvergeAsync();
                trial.Replayed = check.CleanRun.Report?.ReplayedIntents ?? 0;
                if (!trial.Run.Killed)
                {
                    check.Problems.Insert(0, $"not killed in {Attempts} attempts; last run: {trial.Run.Describe()}");
                }
                if (!check.Ok)
                {
                    failures.Add($"seed {seed}, account {n}{(n % 2 == 0 ? " (extensions hidden)" : "")}, phase {phase}, {trial.Aim} + {trial.DelayMs} ms "
                                 + $"(left {trial.Pending.Count} intents: {string.Join(", ", trial.Pending)})\n"
                                 + $"killed run: {trial.Run.Describe()}\n{check}");
                    return;
                }
            }
        });

        var all = trials.ToList();
        var killed = all.Count(t => t.Run.Killed);
        var replayed = all.Count(t => t.Replayed > 0);
        output.WriteLine($"seed {seed}: {killed} of {all.Count} trials killed ({all.Sum(t => t.Attempts - 1)} retried), "
                         + $"{replayed} reruns replayed journal intents ({all.Sum(t => t.Replayed)} intents); "
                         + $"phase sizes {string.Join("/", phaseCommands)} journaled commands, {string.Join("/", phaseBytes)} bytes");
        output.WriteLine("aims: " + string.Join(", ", all.GroupBy(t => t.Aim.Point).Select(g => $"{g.Key} {g.Count()} ({g.Count(t => t.Replayed > 0)} replayed)")));
        output.WriteLine("intents left by the kills: " + string.Join(", ", all.SelectMany(t => t.Pending).GroupBy(p => p).OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {g.Count()}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {TrialAccounts} accounts failed:\n\n" + string.Join("\n\n", failures));
        Assert.Equal(TrialAccounts * Phases, all.Count);
        Assert.True(killed >= 20, $"only {killed} of {all.Count} runs were killed (seed {seed})");
    }

    /// <summary>One trial: changes, then a run killed at the aim; again, aimed at the first journaled command, if the run ended first.</summary>
    private static async Task<KillTrial> KillOnceAsync(SyncAccount account, Random random, int phase, int commands, long bytes)
    {
        for (var attempt = 1; ; attempt++)
        {
            await PrepareAsync(account, random, phase * 10 + attempt - 1);
            var aim = attempt == 1
                ? (KillPoint)random.Next(4) switch
                {
                    KillPoint.AtByte => new KillAim(KillPoint.AtByte, 0, random.NextInt64(1, bytes * 9 / 10)),
                    var point => new KillAim(point, random.Next(Math.Max(1, commands * 9 / 10)), 0),
                }
                : new KillAim(KillPoint.BeforeCommand, 0, 0);
            var delay = random.Next(0, 30);
            SyncProcessRun run;
            await using (var relay = FaultRelay.Start(account.Bed.Host, account.Bed.Port))
            {
                aim.Arm(relay);
                run = await SyncProcess.RunAsync(account, relay, delay);
            }
            if (run.Killed || attempt == Attempts)
            {
                return new KillTrial(aim, delay, attempt, run, await PendingIntentsAsync(account));
            }
        }
    }

    /// <summary>The journal intents the killed run left, as "op side".</summary>
    private static async Task<List<string>> PendingIntentsAsync(SyncAccount account)
    {
        await using var state = await SyncStateStore.OpenReadOnlyAsync(account.StatePath);
        if (state is null)
        {
            return [];
        }
        var intents = await state.ReadAsync(tx => tx.GetIntents());
        // A flag intent covers both sides; the others name the side they change.
        return intents.Select(e => e.Intent.Op == "flags" ? "flags" : $"{e.Intent.Op} {(e.Intent.Side == 0 ? "upstream" : "local")}").ToList();
    }

    private static Task PrepareAsync(SyncAccount account, Random random, int round) =>
        round == 0 ? TrialScenario.SeedUpstreamAsync(account, random) : TrialScenario.ChangeBothSidesAsync(account, random, round);

    private sealed record KillTrial(KillAim Aim, int DelayMs, int Attempts, SyncProcessRun Run, List<string> Pending)
    {
        public int Replayed { get; set; }
    }
}
