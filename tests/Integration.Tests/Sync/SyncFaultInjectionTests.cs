using System.Collections.Concurrent;
using System.Globalization;
using ImapProxy.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// Issue 6, "never lose mail, never duplicate": the synchroniser (three upstream connections, three folders at once,
/// as <c>maxconnections = 3</c> gives) talks to Dovecot through a <see cref="FaultRelay"/> that resets whichever
/// connection carries a random byte of the run's whole traffic (initial sync and two incremental syncs with changes
/// on both sides): the first connection or any other of the pool, or a reconnect. Every other account syncs with a
/// Dovecot that hides CONDSTORE, QRESYNC, UIDPLUS, MOVE and LIST-STATUS, so the fallbacks are cut too. After each cut, one clean run must leave both sides holding exactly the right messages (bodies by
/// SHA-256, flags, no duplicates), and the run after it must have nothing to do.
/// </summary>
/// <remarks>
/// Reproducible: the seed (env <c>IMAPPROXY_SYNC_SEED</c>, fixed by default) decides every account's mail, changes
/// and cut offsets; a failure prints seed, account, phase, offset and the connection cut. The offset counts the bytes
/// of all connections together, so it lands on each connection in proportion to the work it carries.
/// </remarks>
public sealed class SyncFaultInjectionTests(ITestOutputHelper output)
{
    private const int TrialAccounts = 20;
    private const int IncrementalRounds = 2;

    [Fact]
    public async Task A_cut_at_any_byte_then_a_clean_rerun_converges_without_loss_or_duplicates()
    {
        var seed = TrialSeed.Value;
        var users = Enumerable.Range(0, TrialAccounts + 1).Select(i => new DovecotUser($"cut{i:D2}", "secret")).ToList();
        await using var bed = await DovecotTestBed.StartAsync(new DovecotOptions { Users = users });
        // Every other account syncs with a server that hides the extensions: the fallbacks (no APPENDUID to map a
        // copy by, no MOVE, no UID EXPUNGE, full flag listings) must survive the same faults.
        await using var plain = await DovecotTestBed.StartAsync(new DovecotOptions { Users = users, HiddenCapabilities = TrialSeed.Extensions });
        using var root = new TrialDirectory("imapproxy-cuts-");

        // Account 0 runs every phase uncut: it checks the model itself and measures each phase's bytes.
        var calibration = new SyncAccount(bed, users[0], root.Sub("0"), 0) { Connections = 3 };
        var phaseBytes = new long[IncrementalRounds + 1];
        var calibrationRandom = new Random(seed);
        for (var phase = 0; phase <= IncrementalRounds; phase++)
        {
            await PrepareAsync(calibration, calibrationRandom, phase * 10);
            await using var relay = FaultRelay.Start(bed.Host, bed.Port);
            var run = await calibration.SyncAsync(relay.Port);
            Assert.True(run.Success, $"seed {seed}, uncut phase {phase}: {run.Describe()}");
            phaseBytes[phase] = relay.BytesRelayed;
            var check = await calibration.ConvergeAsync();
            Assert.True(check.Ok, $"seed {seed}, uncut phase {phase}:\n{check}");
        }

        var failures = new ConcurrentBag<string>();
        var cutConnections = new ConcurrentBag<int>();
        var trials = 0;
        var replayed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(1, TrialAccounts), new ParallelOptions { MaxDegreeOfParallelism = 3 }, async (n, _) =>
        {
            var random = new Random(seed * 1000 + n);
            var account = new SyncAccount(n % 2 == 0 ? plain : bed, users[n], root.Sub(n.ToString(CultureInfo.InvariantCulture)), n) { Connections = 3 };
            for (var phase = 0; phase <= IncrementalRounds; phase++)
            {
                SyncRun faulted = new(null, "not run");
                IReadOnlyList<int> cut = [];
                long offset = 0;
                // A run shorter than the calibration's may end before its cut: then new changes and an earlier cut.
                for (var attempt = 0; attempt < 3 && cut.Count == 0; attempt++)
                {
                    await PrepareAsync(account, random, phase * 10 + attempt);
                    offset = random.NextInt64(1, phaseBytes[phase] / (attempt + 1) + 1);
                    await using var relay = FaultRelay.Start(account.Bed.Host, account.Bed.Port);
                    relay.CutAtTotalByte = offset;
                    faulted = await account.SyncAsync(relay.Port);
                    cut = relay.CutConnections;
                }
                foreach (var connection in cut)
                {
                    cutConnections.Add(connection);
                }
                Interlocked.Increment(ref trials);
                var check = await account.ConvergeAsync();
                if (check.CleanRun.Report is { ReplayedIntents: > 0 })
                {
                    Interlocked.Increment(ref replayed);
                }
                var problems = check.Problems;
                if (faulted.Failure?.StartsWith("HANG", StringComparison.Ordinal) == true)
                {
                    problems.Insert(0, faulted.Failure);
                }
                if (problems.Count > 0)
                {
                    failures.Add($"seed {seed}, account {n}{(n % 2 == 0 ? " (extensions hidden)" : "")}, phase {phase} ({(phase == 0 ? "initial" : "incremental")}), "
                                 + $"cut after byte {offset} of ~{phaseBytes[phase]} (connection cut: {(cut.Count > 0 ? cut[0] : "none")})\n"
                                 + $"faulted run: {faulted.Describe()}\n{string.Join("\n", problems)}");
                    return;
                }
            }
        });

        var cuts = cutConnections.Count;
        output.WriteLine($"seed {seed}: {cuts} of {trials} runs cut, {replayed} reruns replayed journal intents; "
                         + $"phase sizes {string.Join("/", phaseBytes)} bytes; cuts by connection (0 = first): "
                         + string.Join(", ", cutConnections.GroupBy(c => c).OrderBy(g => g.Key).Select(g => $"#{g.Key} {g.Count()}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {TrialAccounts} accounts failed:\n\n" + string.Join("\n\n", failures));
        Assert.Equal(TrialAccounts * (IncrementalRounds + 1), trials);
        Assert.True(cuts >= 50, $"only {cuts} of {trials} trials were really cut (seed {seed})");
    }

    private static Task PrepareAsync(SyncAccount account, Random random, int round) =>
        round == 0 ? TrialScenario.SeedUpstreamAsync(account, random) : TrialScenario.ChangeBothSidesAsync(account, random, round);
}

/// <summary>The seed of the sync trials: <c>IMAPPROXY_SYNC_SEED</c>, or a fixed one so CI runs the same trials.</summary>
internal static class TrialSeed
{
    /// <summary>The extensions the sync uses when offered, hidden from some trial accounts to exercise the fallbacks.</summary>
    public static readonly string[] Extensions = ["CONDSTORE", "QRESYNC", "UIDPLUS", "MOVE", "LIST-STATUS"];

    public static int Value =>
        int.TryParse(Environment.GetEnvironmentVariable("IMAPPROXY_SYNC_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : 20261121;
}

/// <summary>A temp directory (tmpfs when there is one: the state database fsyncs every transaction) removed at the end.</summary>
internal sealed class TrialDirectory : IDisposable
{
    public TrialDirectory(string prefix)
    {
        var parent = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(parent, prefix + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
