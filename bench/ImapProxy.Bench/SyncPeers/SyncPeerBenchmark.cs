using System.Globalization;
using System.Text;
using ImapProxy.TestSupport;

namespace ImapProxy.Bench.SyncPeers;

/// <summary>
/// Initial sync and no-op resync of the same Dovecot account by imapproxy, mbsync (with and without fsync) and
/// offlineimap3, one after another in one run, with wall time and peak RSS from GNU time. The account holds the
/// corpus in INBOX plus synthetic messages spread over several folders (the 56,046-message set by default).
/// Run: <c>dotnet run -c Release -- sync [--peers imapproxy,mbsync,mbsync-nofsync,offlineimap3] [--synthetic 50000] [--folders 5] [--noop-runs 3] [--hold] [--no-publish | --imapproxy APPHOST]</c>.
/// imapproxy is published first as the README installs it (self-contained, trimmed, composite ReadyToRun); <c>--no-publish</c> runs the build output
/// instead, <c>--imapproxy</c> a build published beforehand (another publish configuration, say).
/// A Stopwatch-style harness rather than BenchmarkDotNet: each measure is one external process run of tens of seconds.
/// </summary>
public static class SyncPeerBenchmark
{
    /// <summary>Runs the comparison and prints a Markdown table.</summary>
    public static async Task RunAsync(string[] args)
    {
        var peerNames = Option(args, "--peers", "imapproxy,mbsync,mbsync-nofsync,offlineimap3").Split(',');
        var synthetic = int.Parse(Option(args, "--synthetic", "50000"), CultureInfo.InvariantCulture);
        var folders = int.Parse(Option(args, "--folders", "5"), CultureInfo.InvariantCulture);
        var noOpRuns = Math.Max(1, int.Parse(Option(args, "--noop-runs", "3"), CultureInfo.InvariantCulture));
        var hold = args.Contains("--hold");
        var expected = Corpus.Files.Count + synthetic;
        Console.WriteLine($"// seeding Dovecot: {Corpus.Files.Count} corpus messages in INBOX, {synthetic} synthetic in {folders} folders");

        await using var dovecot = await DovecotTestBed.StartAsync(seed: bed => SeedAsync(bed, synthetic, folders));
        await WarmAsync(dovecot, folders);
        var upstream = new UpstreamAccount(dovecot.Host, dovecot.Port, dovecot.DefaultUser.Name, dovecot.DefaultUser.Password);
        var workRoot = Directory.CreateTempSubdirectory("imapproxy-syncbench-").FullName;
        var given = Option(args, "--imapproxy", "");
        var imapproxy = given != "" ? Path.GetFullPath(given)
            : args.Contains("--no-publish") ? Path.Combine(AppContext.BaseDirectory, "imapproxy")
            : peerNames.Any(n => n.Trim() == "imapproxy") ? await ImapProxyPeer.PublishAsync(Path.Combine(workRoot, "imapproxy-published")) : "";
        var rows = new List<(string Peer, TimedRun Initial, int Mirrored, NoOpRuns NoOp)>();
        try
        {
            foreach (var name in peerNames)
            {
                var peer = Create(name.Trim(), imapproxy);
                await peer.PrepareAsync(workRoot, upstream);
                var (file, arguments) = peer.SyncCommand();
                Console.WriteLine($"// {peer.Name}: initial sync");
                var initial = await TimedRun.MeasureAsync(file, arguments);
                var mirrored = peer.CountMirroredMessages();
                Console.WriteLine($"// {peer.Name}: exit {initial.ExitCode}, {initial.WallSeconds:F2} s (CPU {initial.CpuSeconds:F2} s), {initial.PeakRssKilobytes / 1024.0:F1} MB, {mirrored}/{expected} messages");
                if (initial.ExitCode != 0)
                    Console.WriteLine(initial.ErrorTail);
                // The first no-op follows the initial sync at once (what the goal measures); later ones show the
                // steady state. The table gives the first and the median of all.
                var noOps = new List<TimedRun>();
                for (var run = 0; run < noOpRuns; run++)
                {
                    noOps.Add(await TimedRun.MeasureAsync(file, arguments));
                    Console.WriteLine($"// {peer.Name}: no-op resync {run + 1} exit {noOps[^1].ExitCode}, {noOps[^1].WallSeconds:F2} s, CPU {noOps[^1].CpuSeconds:F2} s");
                }
                rows.Add((peer.Name, initial, mirrored, new NoOpRuns(noOps)));
                if (hold)
                    await HoldAsync(peer, file, arguments);
                // Each peer's mirror stays until the end. Deleting 56,046 files just before the next peer creates
                // its own made ext4 (Debian 12 here) charge that peer several CPU-seconds of inode allocation: a
                // plain create-and-write of the same files took 1.4 s on a quiet disk and 10.2 s 20 s after such
                // a delete (2026-11-22). Whoever ran second was penalised.
            }
        }
        finally
        {
            Directory.Delete(workRoot, recursive: true);
        }
        Console.WriteLine(Table(rows, expected));
    }

    private static SyncPeer Create(string name, string imapproxy) => name switch
    {
        "imapproxy" => new ImapProxyPeer(imapproxy),
        "mbsync" => new MbsyncPeer(fsync: true),
        "mbsync-nofsync" => new MbsyncPeer(fsync: false),
        "offlineimap3" => new OfflineImapPeer(),
        _ => throw new ArgumentException($"unknown peer '{name}' (imapproxy, mbsync, mbsync-nofsync, offlineimap3)"),
    };

    /// <summary>Puts the corpus in INBOX and <paramref name="synthetic"/> messages over Archive1..N (a third unread).</summary>
    internal static async Task SeedAsync(DovecotTestBed bed, int synthetic, int folders)
    {
        var maildir = bed.Maildir();
        await maildir.AddFilesAsync("INBOX", Corpus.Files);
        var index = 0;
        foreach (var message in SyntheticMail.Generate(synthetic))
        {
            await maildir.AddAsync($"Archive{index % folders + 1}", message, index % 3 == 0 ? "" : "S");
            index++;
        }
    }

    // Dovecot indexes a Maildir on first access; do that, and pull every file into the page cache, before any peer
    // is timed, so that no peer pays for the others' cold start.
    internal static async Task WarmAsync(DovecotTestBed dovecot, int folders)
    {
        await using var connection = await dovecot.ConnectAsync();
        connection.ReadTimeout = TimeSpan.FromMinutes(10);
        await connection.CommandAsync($"LOGIN {dovecot.DefaultUser.Name} {dovecot.DefaultUser.Password}");
        foreach (var folder in Enumerable.Range(1, folders).Select(i => $"Archive{i}").Prepend("INBOX"))
        {
            await connection.CommandAsync($"EXAMINE {folder}");
            await connection.CommandAsync("FETCH 1:* (FLAGS RFC822.SIZE)");
        }
        var buffer = new byte[1 << 16];
        foreach (var file in Directory.EnumerateFiles(dovecot.Maildir().Root, "*", SearchOption.AllDirectories))
        {
            await using var stream = File.OpenRead(file);
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        }
    }

    private static string Table(List<(string Peer, TimedRun Initial, int Mirrored, NoOpRuns NoOp)> rows, int expected)
    {
        var mbsync = rows.FirstOrDefault(r => r.Peer == "mbsync");
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| measure ({expected:N0} messages) | {string.Join(" | ", rows.Select(r => r.Peer))} |");
        text.AppendLine($"|---|{string.Concat(rows.Select(_ => "---|"))}");
        Row("initial sync, wall s", r => Ratio(r.Initial.WallSeconds, mbsync.Initial?.WallSeconds));
        Row("messages mirrored", r => r.Mirrored.ToString("N0", CultureInfo.InvariantCulture) + (r.Initial.ExitCode == 0 ? "" : $" (exit {r.Initial.ExitCode})"));
        Row("no-op resync (first), wall s", r => Ratio(r.NoOp.First, mbsync.NoOp?.First));
        Row($"no-op resync (median of {rows[0].NoOp.Runs.Count}), wall s", r => Ratio(r.NoOp.Median, mbsync.NoOp?.Median));
        Row($"no-op resync (median), CPU s", r => Ratio(r.NoOp.MedianCpu, mbsync.NoOp?.MedianCpu));
        Row("peak RSS, MB (initial)", r => (r.Initial.PeakRssKilobytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture));
        return text.ToString();

        void Row(string label, Func<(string Peer, TimedRun Initial, int Mirrored, NoOpRuns NoOp), string> cell) =>
            text.AppendLine($"| {label} | {string.Join(" | ", rows.Select(cell))} |");
    }

    // For profiling by hand: the peer's files and the Dovecot stay until stdin closes.
    private static async Task HoldAsync(SyncPeer peer, string file, IReadOnlyList<string> arguments)
    {
        Console.WriteLine($"// holding {peer.Name}: {file} {string.Join(' ', arguments)}; close stdin to go on");
        await Console.In.ReadToEndAsync();
    }

    private static string Ratio(double value, double? baseline) =>
        baseline is > 0 ? string.Create(CultureInfo.InvariantCulture, $"{value:F2} ({value / baseline.Value:F2}×)") : value.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>The no-op resyncs of one peer, in order.</summary>
    private sealed record NoOpRuns(IReadOnlyList<TimedRun> Runs)
    {
        public double First => Runs[0].WallSeconds;

        public double Median => Runs.Select(r => r.WallSeconds).Order().ElementAt(Runs.Count / 2);

        public double MedianCpu => Runs.Select(r => r.CpuSeconds).Order().ElementAt(Runs.Count / 2);
    }

    internal static string Option(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }
}
