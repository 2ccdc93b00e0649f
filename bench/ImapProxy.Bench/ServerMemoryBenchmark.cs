using ImapProxy.TestSupport;

namespace ImapProxy.Bench;

/// <summary>
/// The server's resident memory alone, without Dovecot (<c>dotnet run -c Release --project bench/ImapProxy.Bench --
/// server-memory</c>): a fresh <c>imapproxy serve</c>, then 100 idle selected connections, then after one client
/// fetched every folder, each figure with the anonymous / file-backed split of /proc/PID/smaps_rollup. A quick loop for
/// memory work; the <c>server</c> benchmark has the figures that are reported.
/// Knobs: IMAPPROXY_BENCH_WORK (a directory kept between runs, so the mirror is seeded and indexed once),
/// IMAPPROXY_BENCH_SYNTHETIC (50000), IMAPPROXY_BENCH_LARGE (100000), IMAPPROXY_BENCH_EXE (the app host of a published
/// build to measure, e.g. <c>dotnet publish src/ImapProxy -c Release -o DIR</c> then DIR/imapproxy; default the build
/// output next to this benchmark, run JIT through <c>dotnet imapproxy.dll</c>).
/// </summary>
public static class ServerMemoryBenchmark
{
    /// <summary>Runs the measurement and prints the figures.</summary>
    public static async Task RunAsync()
    {
        string? kept = Environment.GetEnvironmentVariable("IMAPPROXY_BENCH_WORK");
        string work = kept ?? Directory.CreateTempSubdirectory("imapproxy-memory-bench-").FullName;
        try
        {
            string mirror = Path.Combine(work, "mirror");
            if (!Directory.Exists(mirror))
            {
                var mail = new BenchMail(Knob("IMAPPROXY_BENCH_SYNTHETIC", 50_000), Knob("IMAPPROXY_BENCH_LARGE", 100_000));
                await mail.WriteAsync(ServerProcess.AccountMaildir(mirror), null);
                Console.WriteLine($"// seeded {mail.Describe()}");
            }
            await using var server = await ServerProcess.StartAsync(work, mirror, Environment.GetEnvironmentVariable("IMAPPROXY_BENCH_EXE"));
            await Task.Delay(15_000); // the first sync pass (it fails: no upstream) and the idle trim
            Report(server, "fresh serve, no client");
            var idle = new List<WireClient>();
            try
            {
                for (int i = 0; i < 100; i++)
                {
                    var client = await WireClient.ConnectAsync(server.Port);
                    await client.PipelineAsync($"LOGIN {ServerProcess.User} {ServerProcess.Password}", "SELECT INBOX");
                    idle.Add(client);
                }
                await Task.Delay(12_000);
                Report(server, "100 idle connections, INBOX selected");
                await using (var busy = await WireClient.ConnectAsync(server.Port))
                {
                    await busy.PipelineAsync($"LOGIN {ServerProcess.User} {ServerProcess.Password}",
                        "SELECT INBOX", "UID FETCH 1:* (UID FLAGS ENVELOPE BODYSTRUCTURE)",
                        "SELECT Synthetic", "UID FETCH 1:* (UID FLAGS ENVELOPE BODYSTRUCTURE)",
                        $"SELECT {BenchMail.LargeFolder}", "UID SORT (SUBJECT) UTF-8 ALL", "LOGOUT");
                }
                await Task.Delay(12_000);
                Report(server, "the same after one client fetched every folder");
            }
            finally
            {
                foreach (var client in idle)
                {
                    await client.DisposeAsync();
                }
            }
            Console.WriteLine($"// load: {(await File.ReadAllTextAsync("/proc/loadavg")).Trim()}");
        }
        finally
        {
            if (kept is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static void Report(ServerProcess server, string condition)
    {
        var rollup = new Dictionary<string, long>();
        foreach (var line in File.ReadLines($"/proc/{server.Pid}/smaps_rollup"))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is [var key, var kb, "kB"])
            {
                rollup[key.TrimEnd(':')] = long.Parse(kb) * 1024;
            }
        }
        long rss = server.ResidentBytes();
        long anonymous = rollup.GetValueOrDefault("Anonymous");
        Console.WriteLine($"{condition,-60} RSS {Mb(rss)} (anonymous {Mb(anonymous)}, file-backed {Mb(rss - anonymous)})");
    }

    private static string Mb(long bytes) => $"{bytes / 1048576.0:N1} MB";

    private static int Knob(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var n) ? n : fallback;
}
