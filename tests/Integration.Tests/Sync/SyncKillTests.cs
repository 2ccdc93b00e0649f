using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ImapProxy.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// Issue 6: a sync process (tests/SyncCrashDriver: the engine over Dovecot and the Maildir mirror, two upstream
/// connections, two folders at once) is killed with SIGKILL at a random moment of its run: initial sync and two
/// incremental syncs with changes on both sides. The next run replays the journal; it must leave both sides holding
/// exactly the right messages (bodies by SHA-256, flags, no duplicates), and the run after it must have nothing to do.
/// </summary>
/// <remarks>Seeded like <see cref="SyncFaultInjectionTests"/>; a failure prints seed, account, phase and delay.</remarks>
public sealed class SyncKillTests(ITestOutputHelper output)
{
    private const int TrialAccounts = 12;
    private const int IncrementalRounds = 2;

    [Fact]
    public async Task A_sync_killed_at_any_moment_is_completed_by_the_next_run_without_loss_or_duplicates()
    {
        var seed = TrialSeed.Value;
        var users = Enumerable.Range(0, TrialAccounts + 1).Select(i => new DovecotUser($"kill{i:D2}", "secret")).ToList();
        await using var bed = await DovecotTestBed.StartAsync(new DovecotOptions { Users = users });
        using var root = new TrialDirectory("imapproxy-kills-");

        // Account 0 runs every phase to the end: it checks the driver and measures how long each phase runs.
        var calibration = new SyncAccount(bed, users[0], root.Sub("0"), 0);
        var phaseMs = new int[IncrementalRounds + 1];
        var calibrationRandom = new Random(seed);
        for (var phase = 0; phase <= IncrementalRounds; phase++)
        {
            await PrepareAsync(calibration, calibrationRandom, phase);
            var run = await RunDriverAsync(calibration, killAfterMs: null);
            Assert.True(run.ExitCode == 0, $"seed {seed}, unkilled phase {phase}: exit {run.ExitCode}\n{run.Output}");
            phaseMs[phase] = Math.Max(50, (int)run.Elapsed.TotalMilliseconds);
            var check = await calibration.ConvergeAsync();
            Assert.True(check.Ok, $"seed {seed}, unkilled phase {phase}:\n{check}");
        }

        var failures = new ConcurrentBag<string>();
        var killed = 0;
        var replayed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(1, TrialAccounts), new ParallelOptions { MaxDegreeOfParallelism = 3 }, async (n, _) =>
        {
            var random = new Random(seed * 1000 + 500 + n);
            var account = new SyncAccount(bed, users[n], root.Sub(n.ToString(CultureInfo.InvariantCulture)), n);
            for (var phase = 0; phase <= IncrementalRounds; phase++)
            {
                await PrepareAsync(account, random, phase);
                // Within the first 60% of the calibrated length: the calibration account runs alone and warms Dovecot's
                // indexes, so a trial can run faster than it did, and a kill drawn near the end would then miss.
                var delay = random.Next(0, phaseMs[phase] * 6 / 10);
                var run = await RunDriverAsync(account, delay);
                if (run.Killed)
                {
                    Interlocked.Increment(ref killed);
                }
                var check = await account.ConvergeAsync();
                if (check.CleanRun.Report is { ReplayedIntents: > 0 })
                {
                    Interlocked.Increment(ref replayed);
                }
                if (!run.Killed && run.ExitCode != 0)
                {
                    check.Problems.Insert(0, $"the driver failed on its own: exit {run.ExitCode}\n{run.Output}");
                }
                if (!check.Ok)
                {
                    failures.Add($"seed {seed}, account {n}, phase {phase}, SIGKILL after {delay} ms of ~{phaseMs[phase]} "
                                 + $"(killed: {run.Killed})\n{check}");
                    return;
                }
            }
        });

        output.WriteLine($"seed {seed}: {killed} of {TrialAccounts * (IncrementalRounds + 1)} runs killed mid-run, "
                         + $"{replayed} reruns replayed journal intents; phase lengths {string.Join("/", phaseMs)} ms");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {TrialAccounts} accounts failed:\n\n" + string.Join("\n\n", failures));
        // The issue asks for at least 20 real kills; 36 runs leave a margin for runs that end before their kill
        // (CI once saw only 19 of 24 killed when the delays reached 90% of the calibrated length).
        const int trials = TrialAccounts * (IncrementalRounds + 1);
        Assert.True(killed >= 20, $"only {killed} of {trials} runs were killed before they ended (seed {seed})");
    }

    private static Task PrepareAsync(SyncAccount account, Random random, int phase) =>
        phase == 0 ? TrialScenario.SeedUpstreamAsync(account, random) : TrialScenario.ChangeBothSidesAsync(account, random, phase);

    private sealed record DriverRun(bool Killed, int ExitCode, TimeSpan Elapsed, string Output);

    /// <summary>Runs the driver; with a delay, SIGKILLs it that long after it said "ready" (if still running).</summary>
    private static async Task<DriverRun> RunDriverAsync(SyncAccount account, int? killAfterMs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "SyncCrashDriver.dll"), account.Bed.Host,
                     account.Bed.Port.ToString(CultureInfo.InvariantCulture), account.User.Name, account.User.Password,
                     account.LocalRoot, account.StatePath,
                 })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            var ready = await process.StandardOutput.ReadLineAsync(limit.Token);
            var clock = Stopwatch.StartNew();
            var rest = process.StandardOutput.ReadToEndAsync(limit.Token);
            var killed = false;
            if (ready == "ready" && killAfterMs is { } delay)
            {
                await Task.WhenAny(process.WaitForExitAsync(limit.Token), Task.Delay(delay, limit.Token));
                if (!process.HasExited)
                {
                    process.Kill(); // SIGKILL on Unix
                    killed = true;
                }
            }
            await process.WaitForExitAsync(limit.Token);
            var elapsed = clock.Elapsed;
            return new DriverRun(killed, process.ExitCode, elapsed, $"{ready}\n{await rest}\n{await errors}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
