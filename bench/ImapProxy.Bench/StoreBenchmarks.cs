using System.Diagnostics;
using ImapProxy.Store;

namespace ImapProxy.Bench;

/// <summary>
/// Stopwatch benchmarks of the Maildir store (run: <c>dotnet run -c Release --project bench/ImapProxy.Bench -- store</c>).
/// Adoption of 50,000 corpus messages, opening an unchanged 100,000-message folder, noticing one external flag
/// rename in it, and memory per message.
/// </summary>
public static class StoreBenchmarks
{
    /// <summary>
    /// Runs the store benchmarks named in <paramref name="only"/> (<c>adopt</c>, <c>large</c>, <c>big</c>; all if
    /// empty) and prints the figures. With <c>IMAPPROXY_BENCH_DIR</c> set, the 100,000-message folder is kept there
    /// between runs (made once), so the open and rename figures can be re-taken without re-creating it.
    /// </summary>
    public static async Task RunAsync(IReadOnlyCollection<string> only)
    {
        bool All(string name) => only.Count == 0 || only.Contains(name);
        string? keep = Environment.GetEnvironmentVariable("IMAPPROXY_BENCH_DIR");
        string work = Path.Combine(Path.GetTempPath(), "imapproxy-store-bench-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"load average at start: {LoadAverage()}");
        try
        {
            if (All("adopt")) await AdoptCorpusAsync(Path.Combine(work, "corpus"), 50_000);
            if (All("large")) await LargeFolderAsync(keep ?? Path.Combine(work, "large"), 100_000);
            if (All("big")) await BigMessagesAsync(Path.Combine(work, "big"), 40, 10 << 20);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
        Console.WriteLine($"load average at end: {LoadAverage()}");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string CorpusDirectory() =>
        Environment.GetEnvironmentVariable("IMAPPROXY_CORPUS")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "imapproxy", "corpus");

    private static async Task AdoptCorpusAsync(string root, int count)
    {
        var sources = Directory.Exists(CorpusDirectory()) ? Directory.GetFiles(CorpusDirectory(), "*.eml") : [];
        if (sources.Length == 0) throw new InvalidOperationException($"No corpus in {CorpusDirectory()}: run scripts/fetch-corpus");
        string cur = Path.Combine(root, "cur");
        Directory.CreateDirectory(cur);
        Directory.CreateDirectory(Path.Combine(root, "new"));
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            string target = Path.Combine(cur, $"{1_600_000_000 + i}.M{i}P1.bench,U={i + 1}:2,S");
            File.Copy(sources[i % sources.Length], target);
            bytes += new FileInfo(target).Length;
        }
        var cpu = CpuTime();
        var sw = Stopwatch.StartNew();
        await using var store = await AccountStore.OpenAsync(root, new MailStoreOptions { WatchFileSystem = false });
        var inbox = await store.OpenFolderAsync("INBOX");
        var status = await inbox.GetStatusAsync();
        sw.Stop();
        var used = CpuTime() - cpu;
        Report($"adopt {status.Messages:N0} corpus messages ({bytes / 1e6:N0} MB), parse + index",
            sw.Elapsed, $"{status.Messages / sw.Elapsed.TotalSeconds:N0} messages/s (target >= 5,000/s); process CPU {used.TotalSeconds:N1} s " +
                        $"= {status.Messages / used.TotalSeconds:N0} messages per CPU-second");
        Report("  managed heap after adoption", TimeSpan.Zero, $"{HeapBytes() / 1e6:N1} MB, {HeapBytes() / (double)status.Messages:N0} B/message");
    }

    private static async Task LargeFolderAsync(string root, int count)
    {
        string cur = Path.Combine(root, "cur");
        var sw = new Stopwatch();
        string made = Path.Combine(root, ".bench-complete");
        if (!File.Exists(made))
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            Directory.CreateDirectory(cur);
            for (int i = 0; i < count; i++)
                await File.WriteAllTextAsync(Path.Combine(cur, $"{1_600_000_000 + i}.M{i}P2.bench:2,S"),
                    $"From: a{i}@example.org\nSubject: message {i}\nMessage-ID: <{i}@bench>\n\nbody {i}\n");
            sw.Start();
            await using (var store = await AccountStore.OpenAsync(root, new MailStoreOptions { WatchFileSystem = false }))
            {
                await (await store.OpenFolderAsync("INBOX")).GetStatusAsync();
            }
            Report($"adopt {count:N0} small messages", sw.Elapsed, $"{count / sw.Elapsed.TotalSeconds:N0} messages/s");
            await File.WriteAllTextAsync(made, "");
        }
        await Task.Delay(2500); // let the last scan settle past the mtime granularity window

        foreach (bool watch in new[] { false, true })
        {
            var opens = new List<TimeSpan>();
            var openCpu = new List<TimeSpan>();
            for (int i = 0; i < 7; i++)
            {
                var cpu = CpuTime();
                sw.Restart();
                await using var store = await AccountStore.OpenAsync(root, new MailStoreOptions { WatchFileSystem = watch });
                var snapshot = await (await store.OpenFolderAsync("INBOX")).SelectAsync();
                sw.Stop();
                openCpu.Add(CpuTime() - cpu);
                if (snapshot.Messages.Count != count) throw new InvalidOperationException("folder changed");
                opens.Add(sw.Elapsed);
            }
            Report($"open index + SELECT unchanged {count:N0}-message folder ({WatchLabel(watch)}, median of 7)", Median(opens),
                $"target < 50 ms; process CPU {Median(openCpu).TotalMilliseconds:N1} ms");
        }

        foreach (bool watch in new[] { false, true })
        {
            await using var store = await AccountStore.OpenAsync(root, new MailStoreOptions { WatchFileSystem = watch });
            var inbox = await store.OpenFolderAsync("INBOX");
            ulong modSeq = (await inbox.GetStatusAsync()).HighestModSeq;
            long heapOpen = HeapBytes();
            var times = new List<TimeSpan>();
            var cpuTimes = new List<TimeSpan>();
            for (int i = 0; i < 10; i++)
            {
                int n = 1000 + i * 7919 % count;
                string name = $"{1_600_000_000 + n}.M{n}P2.bench:2,S";
                string renamed = name.Replace(":2,S", ":2,FS");
                if (!File.Exists(Path.Combine(cur, name))) (name, renamed) = (renamed, name);
                File.Move(Path.Combine(cur, name), Path.Combine(cur, renamed));
                var cpu = CpuTime();
                sw.Restart();
                ulong now = (await inbox.GetStatusAsync()).HighestModSeq;
                sw.Stop();
                cpuTimes.Add(CpuTime() - cpu);
                if (now != modSeq + 1) throw new InvalidOperationException($"the rename was not noticed ({modSeq} -> {now})");
                modSeq = now;
                times.Add(sw.Elapsed);
            }
            // The first includes loading the 100,000 file names (a fresh open reads only the packed state).
            Report($"notice one external flag rename in {count:N0} messages, first after open ({WatchLabel(watch)})", times[0], "loads the file names once");
            Report($"notice one external flag rename in {count:N0} messages ({WatchLabel(watch)}, median of next 9)",
                Median(times.Skip(1).ToList()), $"target < 50 ms; process CPU {Median(cpuTimes.Skip(1).ToList()).TotalMilliseconds:N1} ms");
            if (!watch)
            {
                Report("  managed heap with the folder open (packed state, no names)", TimeSpan.Zero, $"{heapOpen / 1e6:N1} MB, {heapOpen / (double)count:N0} B/message");
                long heapNames = HeapBytes();
                Report("  managed heap with the file names loaded", TimeSpan.Zero, $"{heapNames / 1e6:N1} MB, {heapNames / (double)count:N0} B/message");
            }
        }
    }

    /// <summary>CPU used by the whole process (all threads): on a loaded machine, wall time mostly measures waiting.</summary>
    private static TimeSpan CpuTime() => Process.GetCurrentProcess().TotalProcessorTime;

    private static string WatchLabel(bool watch) => watch ? "watcher on" : "watcher off: mtime check + listing";

    private static async Task BigMessagesAsync(string root, int count, int size)
    {
        string cur = Path.Combine(root, "cur");
        Directory.CreateDirectory(cur);
        var line = new string('x', 76) + "\n";
        for (int i = 0; i < count; i++)
        {
            await using var writer = new StreamWriter(Path.Combine(cur, $"{1_600_000_000 + i}.M{i}P3.bench:2,"));
            await writer.WriteAsync($"Subject: big {i}\nContent-Type: text/plain\n\n");
            for (int written = 0; written < size; written += line.Length) await writer.WriteAsync(line);
        }
        var sw = Stopwatch.StartNew();
        await using var store = await AccountStore.OpenAsync(root, new MailStoreOptions { WatchFileSystem = false });
        await (await store.OpenFolderAsync("INBOX")).GetStatusAsync();
        sw.Stop();
        Report($"adopt {count} messages of {size >> 20} MB", sw.Elapsed,
            $"managed heap {HeapBytes() / 1e6:N1} MB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:N0} MB");
    }

    private static long HeapBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    private static void Report(string what, TimeSpan elapsed, string figure) =>
        Console.WriteLine($"{what,-90} {(elapsed == TimeSpan.Zero ? "" : $"{elapsed.TotalMilliseconds,10:N1} ms")}  {figure}");
}
