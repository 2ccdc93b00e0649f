using System.Diagnostics;
using ImapProxy.TestSupport;

namespace ImapProxy.Bench;

/// <summary>
/// Stopwatch benchmarks of the local server against Dovecot on the same messages, in the same run
/// (<c>dotnet run -c Release --project bench/ImapProxy.Bench -- server</c>): a pipelined
/// <c>UID FETCH 1:* (UID FLAGS ENVELOPE BODYSTRUCTURE)</c> on every folder of the corpus plus the synthetic
/// messages (both servers warm), SELECT of a 100,000-message folder, UID SORT (SUBJECT) over the same folders, and the RSS of <c>imapproxy serve</c> with
/// 100 idle connections. The server runs as its own process, as deployed. BenchmarkDotNet does not fit: the
/// setup takes minutes and the figures compare two servers measured back to back.
/// Knobs: IMAPPROXY_BENCH_SYNTHETIC (50000), IMAPPROXY_BENCH_LARGE (100000), IMAPPROXY_BENCH_ROUNDS (7),
/// IMAPPROXY_BENCH_EXE (the app host of a published build to measure; default the build output next to this bench).
/// <c>-- server sort</c> runs only SORT and THREAD (and seeds no large folder unless IMAPPROXY_BENCH_LARGE says so).
/// </summary>
public static class ServerBenchmarks
{
    private const string FetchItems = "(UID FLAGS ENVELOPE BODYSTRUCTURE)";
    private static readonly string[] MailFolders = ["INBOX", "Synthetic"];

    /// <summary>Runs the server benchmarks and prints the figures.</summary>
    public static async Task RunAsync(string[] args)
    {
        bool sortOnly = args is ["sort", ..];
        int synthetic = Knob("IMAPPROXY_BENCH_SYNTHETIC", 50_000);
        int large = Knob("IMAPPROXY_BENCH_LARGE", sortOnly ? 0 : 100_000);
        int rounds = Knob("IMAPPROXY_BENCH_ROUNDS", 7);
        string work = Directory.CreateTempSubdirectory("imapproxy-server-bench-").FullName;
        try
        {
            var sw = Stopwatch.StartNew();
            string mirror = Path.Combine(work, "mirror");
            var mail = new BenchMail(synthetic, large);
            await using var dovecot = await DovecotTestBed.StartAsync(seed: bed => mail.WriteAsync(bed.Maildir().Root, bed.Maildir()));
            await mail.WriteAsync(ServerProcess.AccountMaildir(mirror), null);
            Console.WriteLine($"// seeded {mail.Describe()} into both Maildirs in {sw.Elapsed.TotalSeconds:N0} s");
            sw.Restart();
            await using (var server = await ServerProcess.StartAsync(work, mirror, Environment.GetEnvironmentVariable("IMAPPROXY_BENCH_EXE")))
            {
                Console.WriteLine($"// imapproxy serve (pid {server.Pid}) listening after {sw.Elapsed.TotalSeconds:N1} s; RSS {Mb(server.ResidentBytes())}");
                await using var toDovecot = await WireClient.ConnectAsync(dovecot.Port);
                await using var toServer = await WireClient.ConnectAsync(server.Port);
                await toDovecot.PipelineAsync($"LOGIN {dovecot.DefaultUser.Name} {dovecot.DefaultUser.Password}");
                await toServer.PipelineAsync($"LOGIN {ServerProcess.User} {ServerProcess.Password}");

                if (sortOnly)
                {
                    await OpenFoldersAsync(toDovecot, toServer);
                    await SortAndThreadAsync(toDovecot, toServer, rounds);
                }
                else
                {
                    await FetchAllFoldersAsync(toDovecot, toServer, rounds);
                    await SelectLargeAsync(toDovecot, toServer, rounds);
                    await SortAndThreadAsync(toDovecot, toServer, Math.Min(rounds, 3));
                    await IdleConnectionsAsync(server, 100, "after the runs above, all folders open");
                }
            }
            if (!sortOnly)
            {
                await using var fresh = await ServerProcess.StartAsync(work, mirror, Environment.GetEnvironmentVariable("IMAPPROXY_BENCH_EXE"));
                await IdleConnectionsAsync(fresh, 100, "fresh process");
            }
            Console.WriteLine($"// load: {(await File.ReadAllTextAsync("/proc/loadavg")).Trim()}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task FetchAllFoldersAsync(WireClient toDovecot, WireClient toServer, int rounds)
    {
        var pipeline = MailFolders.SelectMany(f => new[] { $"SELECT {f}", $"UID FETCH 1:* {FetchItems}" }).ToArray();
        foreach (var (name, client) in new[] { ("dovecot", toDovecot), ("imapproxy", toServer) })
        {
            var sw = Stopwatch.StartNew();
            int responses = await client.PipelineAsync(pipeline);
            Console.WriteLine($"// cold {name}: {responses:N0} untagged responses in {sw.Elapsed.TotalMilliseconds:N0} ms");
        }
        var times = new Dictionary<string, List<double>> { ["dovecot"] = [], ["imapproxy"] = [] };
        var bytes = new Dictionary<string, long>();
        for (int round = 0; round < rounds; round++)
        {
            foreach (var (name, client) in new[] { ("dovecot", toDovecot), ("imapproxy", toServer) })
            {
                long before = client.BytesReceived;
                var sw = Stopwatch.StartNew();
                await client.PipelineAsync(pipeline);
                times[name].Add(sw.Elapsed.TotalMilliseconds);
                bytes[name] = client.BytesReceived - before;
            }
        }
        double dovecot = Median(times["dovecot"]), ours = Median(times["imapproxy"]);
        Report($"pipelined SELECT + UID FETCH 1:* {FetchItems} on {string.Join(", ", MailFolders)}", dovecot, ours, "goal <= 1.0x");
        Console.WriteLine($"//   bytes per round: dovecot {bytes["dovecot"]:N0}, imapproxy {bytes["imapproxy"]:N0}; " +
                          $"all rounds dovecot [{Join(times["dovecot"])}] imapproxy [{Join(times["imapproxy"])}] ms");
    }

    private static async Task SelectLargeAsync(WireClient toDovecot, WireClient toServer, int rounds)
    {
        var times = new Dictionary<string, List<double>> { ["dovecot"] = [], ["imapproxy"] = [] };
        foreach (var (name, client) in new[] { ("dovecot", toDovecot), ("imapproxy", toServer) })
        {
            var sw = Stopwatch.StartNew();
            await client.PipelineAsync($"SELECT {BenchMail.LargeFolder}");
            Console.WriteLine($"// first SELECT {BenchMail.LargeFolder} {name}: {sw.Elapsed.TotalMilliseconds:N1} ms (index build / folder open)");
            await client.PipelineAsync("UNSELECT");
        }
        for (int round = 0; round < rounds; round++)
        {
            foreach (var (name, client) in new[] { ("dovecot", toDovecot), ("imapproxy", toServer) })
            {
                await client.PipelineAsync("SELECT INBOX");
                var sw = Stopwatch.StartNew();
                await client.PipelineAsync($"SELECT {BenchMail.LargeFolder}");
                times[name].Add(sw.Elapsed.TotalMilliseconds);
            }
        }
        Report($"SELECT {BenchMail.LargeFolder} (100,000-message folder; folder already open in the server)",
            Median(times["dovecot"]), Median(times["imapproxy"]), "target < 50 ms");
    }

    /// <summary>Each server's first SELECT of every mail folder (index build, adoption), so SORT and THREAD time only themselves.</summary>
    private static async Task OpenFoldersAsync(WireClient toDovecot, WireClient toServer)
    {
        foreach (var (name, client) in new[] { ("dovecot", toDovecot), ("imapproxy", toServer) })
        {
            var sw = Stopwatch.StartNew();
            await client.PipelineAsync(MailFolders.Select(f => $"SELECT {f}").ToArray());
            Console.WriteLine($"// first SELECT of {string.Join(", ", MailFolders)} {name}: {sw.Elapsed.TotalMilliseconds:N0} ms");
        }
    }

    /// <summary>UID SORT (SUBJECT) (base subjects of every message, then a sort) and UID THREAD REFERENCES over the
    /// corpus and synthetic folders. The first round is included: it is when Dovecot fills its cache.</summary>
    private static async Task SortAndThreadAsync(WireClient toDovecot, WireClient toServer, int rounds)
    {
        foreach (var command in new[] { "UID SORT (SUBJECT) UTF-8 ALL", "UID THREAD REFERENCES UTF-8 ALL" })
        {
            var pipeline = MailFolders.SelectMany(f => new[] { $"SELECT {f}", command }).ToArray();
            var times = new Dictionary<string, List<double>> { ["dovecot"] = [], ["imapproxy"] = [] };
            for (int round = 0; round < rounds; round++)
            {
                foreach (var (name, client) in new[] { ("dovecot", toDovecot), ("imapproxy", toServer) })
                {
                    var sw = Stopwatch.StartNew();
                    await client.PipelineAsync(pipeline);
                    times[name].Add(sw.Elapsed.TotalMilliseconds);
                }
            }
            Report($"pipelined SELECT + {command} on {string.Join(", ", MailFolders)}",
                Median(times["dovecot"]), Median(times["imapproxy"]), "first round included");
            Console.WriteLine($"//   all rounds dovecot [{Join(times["dovecot"])}] imapproxy [{Join(times["imapproxy"])}] ms");
        }
    }

    private static async Task IdleConnectionsAsync(ServerProcess server, int count, string condition)
    {
        await Task.Delay(12_000); // idle, as a server between bursts (imapproxy serve trims memory after a quiet 5 s)
        long before = server.ResidentBytes();
        var idle = new List<WireClient>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var client = await WireClient.ConnectAsync(server.Port);
                await client.PipelineAsync($"LOGIN {ServerProcess.User} {ServerProcess.Password}", "SELECT INBOX");
                idle.Add(client);
            }
            await Task.Delay(12_000); // let the server settle (GC, thread pool) as an idle server would
            long after = server.ResidentBytes();
            Console.WriteLine($"{$"imapproxy serve RSS with {count} idle connections (logged in, INBOX selected; {condition})",-100} " +
                              $"{Mb(after)} (before {Mb(before)}, +{Mb(after - before)}); target < 100 MB");
        }
        finally
        {
            foreach (var client in idle)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static void Report(string what, double dovecotMs, double oursMs, string goal) =>
        Console.WriteLine($"{what,-100} dovecot {dovecotMs,8:N1} ms  imapproxy {oursMs,8:N1} ms  ratio {oursMs / dovecotMs:N2}x  ({goal}; medians)");

    private static string Mb(long bytes) => $"{bytes / 1048576.0:N1} MB";

    private static string Join(List<double> values) => string.Join(" ", values.Select(v => v.ToString("N0")));

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static int Knob(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var n) ? n : fallback;
}
