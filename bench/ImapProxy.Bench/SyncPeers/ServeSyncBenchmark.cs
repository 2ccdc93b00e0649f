using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using ImapProxy.TestSupport;

namespace ImapProxy.Bench.SyncPeers;

/// <summary>
/// The no-op resync inside <c>imapproxy serve</c> (goal ≤ 50 ms): a real serve process against the test-bed Dovecot,
/// with a mirror it has already synced, timed by its own log line <c>pass took N ms (scope; outcome)</c>, written
/// around each background pass. Two kinds of passes that find nothing to do:
/// <list type="bullet">
/// <item>poll passes over all folders (<c>poll = 1</c>);</item>
/// <item>the IDLE echo: a local STORE is pushed upstream, Dovecot's IDLE then reports that change back, and the pass
/// it triggers finds nothing to do (with <c>poll = 0</c>, so no poll pass swallows it).</item>
/// </list>
/// Run: <c>dotnet run -c Release -- serve-sync [--synthetic 50000] [--folders 5] [--polls 20] [--echoes 10] [--imapproxy APPHOST | --no-publish]</c>.
/// The 150 ms a request waits for others to join it (the debounce) comes before the pass and is not part of it.
/// </summary>
public static partial class ServeSyncBenchmark
{
    private const string LocalUser = "bench";
    private const string LocalPassword = "bench-local";

    /// <summary>Runs both measures and prints a Markdown table.</summary>
    public static async Task RunAsync(string[] args)
    {
        var synthetic = int.Parse(SyncPeerBenchmark.Option(args, "--synthetic", "50000"), CultureInfo.InvariantCulture);
        var folders = int.Parse(SyncPeerBenchmark.Option(args, "--folders", "5"), CultureInfo.InvariantCulture);
        var polls = int.Parse(SyncPeerBenchmark.Option(args, "--polls", "20"), CultureInfo.InvariantCulture);
        var echoes = int.Parse(SyncPeerBenchmark.Option(args, "--echoes", "10"), CultureInfo.InvariantCulture);
        Console.WriteLine($"// seeding Dovecot: {Corpus.Files.Count} corpus messages in INBOX, {synthetic} synthetic in {folders} folders; load {LoadAverage()}");
        await using var dovecot = await DovecotTestBed.StartAsync(seed: bed => SyncPeerBenchmark.SeedAsync(bed, synthetic, folders));
        await SyncPeerBenchmark.WarmAsync(dovecot, folders);
        var work = Directory.CreateTempSubdirectory("imapproxy-servebench-").FullName;
        try
        {
            var given = SyncPeerBenchmark.Option(args, "--imapproxy", "");
            var imapproxy = given != "" ? Path.GetFullPath(given)
                : args.Contains("--no-publish") ? Path.Combine(AppContext.BaseDirectory, "imapproxy")
                : await ImapProxyPeer.PublishAsync(Path.Combine(work, "published"));
            var upstream = new UpstreamAccount(dovecot.Host, dovecot.Port, dovecot.DefaultUser.Name, dovecot.DefaultUser.Password);

            Console.WriteLine("// serve with poll = 1: initial pass, then poll passes");
            List<Pass> pollPasses;
            await using (var serve = await StartServeAsync(imapproxy, work, upstream, poll: 1))
            {
                var initial = await serve.NextPassAsync(p => p.Scope == "all folders", TimeSpan.FromMinutes(30));
                Console.WriteLine($"// initial pass: {initial.Milliseconds / 1000:F1} s");
                pollPasses = [];
                while (pollPasses.Count < polls)
                {
                    var pass = await serve.NextPassAsync(p => p.Scope == "all folders", TimeSpan.FromSeconds(30));
                    if (!pass.Changed)
                        pollPasses.Add(pass);
                }
            }

            Console.WriteLine("// serve with poll = 0: a local STORE, its push, then the IDLE echo");
            var echoPasses = new List<Pass>();
            await using (var serve = await StartServeAsync(imapproxy, work, upstream, poll: 0))
            {
                await serve.NextPassAsync(p => p.Scope == "all folders", TimeSpan.FromMinutes(5));
                await using var local = await RawImapConnection.ConnectAsync("127.0.0.1", serve.Port);
                Check(await local.CommandAsync($"LOGIN {LocalUser} {LocalPassword}"));
                Check(await local.CommandAsync("SELECT INBOX"));
                for (var i = 1; i <= echoes; i++)
                {
                    Check(await local.CommandAsync($"STORE {i} +FLAGS (\\Flagged)"));
                    await serve.NextPassAsync(p => p.Changed, TimeSpan.FromSeconds(30));
                    var echo = await serve.NextPassAsync(_ => true, TimeSpan.FromSeconds(30));
                    if (echo.Changed)
                        throw new InvalidOperationException($"the pass after the push changed something ({echo.Scope})");
                    echoPasses.Add(echo);
                }
            }

            var messages = Corpus.Files.Count + synthetic;
            Console.WriteLine($"| no-op pass inside serve ({messages:N0} messages, {folders + 1} folders; load {LoadAverage()}) | passes | median ms | p90 ms | max ms | median CPU ms | goal |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            Console.WriteLine(Row("poll pass, all folders", pollPasses));
            Console.WriteLine(Row("IDLE echo of our own push, INBOX", echoPasses));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Row(string label, List<Pass> passes)
    {
        var sorted = passes.Select(p => p.Milliseconds).Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
        var cpu = passes.Select(p => p.CpuMilliseconds).Order().ElementAt(passes.Count / 2);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {sorted.Count} | {At(0.5):F1} | {At(0.9):F1} | {sorted[^1]:F1} | {cpu:F1} | ≤ 50 |");
    }

    private static void Check(ImapExchange exchange)
    {
        if (!exchange.IsOk)
            throw new InvalidOperationException(exchange.Completion);
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static async Task<ServeUnderTest> StartServeAsync(string imapproxy, string work, UpstreamAccount upstream, int poll)
    {
        var port = FreePort();
        var config = Path.Combine(work, "config.ini");
        await File.WriteAllTextAsync(config, $"""
            [general]
            maildir = {work}/mail
            statedir = {work}/state
            listen = 127.0.0.1:{port}
            loglevel = debug

            [account bench]
            host = {upstream.Host}
            port = {upstream.Port}
            tls = none
            user = {upstream.User}
            password = {upstream.Password}
            localuser = {LocalUser}
            localpassword = {LocalPassword}
            poll = {poll}
            idle = INBOX

            """);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return await ServeUnderTest.StartAsync(imapproxy, config, port);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>One background pass as serve logged it.</summary>
    private sealed record Pass(double Milliseconds, double CpuMilliseconds, string Scope, bool Changed);

    [GeneratedRegex(@"pass took ([0-9.]+) ms, CPU ([0-9.]+) ms \((.+); (nothing to do|changes)\)")]
    private static partial Regex PassLine();

    /// <summary>The serve process, its passes read from its log as they come.</summary>
    private sealed class ServeUnderTest : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Channel<Pass> _passes = Channel.CreateUnbounded<Pass>();

        private ServeUnderTest(Process process, int port)
        {
            _process = process;
            Port = port;
            process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            process.OutputDataReceived += (_, e) => OnLine(e.Data);
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
        }

        public int Port { get; }

        public static async Task<ServeUnderTest> StartAsync(string imapproxy, string config, int port)
        {
            var start = new ProcessStartInfo(imapproxy)
            {
                ArgumentList = { "serve", "-c", config },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var serve = new ServeUnderTest(Process.Start(start) ?? throw new InvalidOperationException("cannot start imapproxy"), port);
            await Task.Yield();
            return serve;
        }

        /// <summary>The next logged pass that <paramref name="wanted"/> accepts; the others are skipped.</summary>
        public async Task<Pass> NextPassAsync(Func<Pass, bool> wanted, TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            while (true)
            {
                var pass = await _passes.Reader.ReadAsync(cts.Token);
                if (wanted(pass))
                    return pass;
            }
        }

        private void OnLine(string? line)
        {
            if (line is null)
                return;
            if (PassLine().Match(line) is { Success: true } match)
            {
                _passes.Writer.TryWrite(new Pass(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                    double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), match.Groups[3].Value, match.Groups[4].Value == "changes"));
            }
            else if (line.Contains("warn", StringComparison.Ordinal) || line.Contains("fail", StringComparison.Ordinal))
            {
                Console.WriteLine("// imapproxy: " + line);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}
