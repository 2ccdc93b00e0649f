using System.Diagnostics;
using System.Net;
using BenchmarkDotNet.Attributes;
using ImapProxy.Server;
using ImapProxy.Store;
using ImapProxy.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImapProxy.Bench;

/// <summary>
/// The local server against Dovecot on the same messages, in the same run: pipelined
/// <c>UID FETCH 1:* (UID FLAGS ENVELOPE BODYSTRUCTURE)</c>, and SELECT. The message count comes from
/// IMAPPROXY_BENCH_MESSAGES (default: the 6,046 corpus messages; corpus files repeat to reach larger counts).
/// Run from bench/ImapProxy.Bench: <c>dotnet run -c Release -- --filter '*ServerBenchmarks*' --strategy Monitoring --warmupCount 1 --iterationCount 5</c>.
/// Not with <c>--inProcess</c>: BenchmarkDotNet 0.14's in-process toolchain does not await an async [GlobalSetup].
/// </summary>
public class ServerBenchmarks
{
    private const string User = "bench";
    private const string Password = "bench-secret";
    private DovecotTestBed? _dovecot;
    private RunningImapServer? _server;
    private AccountStore? _store;
    private string? _root;
    private RawImapConnection? _toDovecot;
    private RawImapConnection? _toServer;

    /// <summary>Messages in INBOX on both servers.</summary>
    public static int MessageCount =>
        int.TryParse(Environment.GetEnvironmentVariable("IMAPPROXY_BENCH_MESSAGES"), out var n) ? n : Corpus.ExpectedCount;

    /// <summary>Seeds both Maildirs with the same files, starts both servers, logs in and selects once (indexes built).</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var files = Enumerable.Range(0, MessageCount).Select(i => Corpus.Files[i % Corpus.Files.Count]).ToList();
        _dovecot = await DovecotTestBed.StartAsync(seed: bed => bed.Maildir().AddFilesAsync("INBOX", files));
        _root = Directory.CreateTempSubdirectory("imapproxy-bench-").FullName;
        var cur = Path.Combine(_root, "cur");
        Directory.CreateDirectory(cur);
        Directory.CreateDirectory(Path.Combine(_root, "new"));
        Directory.CreateDirectory(Path.Combine(_root, "tmp"));
        for (int i = 0; i < files.Count; i++)
        {
            File.Copy(files[i], Path.Combine(cur, $"{1700000000 + i}.M{i}P1.bench:2,S"));
        }
        _store = await AccountStore.OpenAsync(_root, new MailStoreOptions { WatchFileSystem = false });
        var options = new ServerOptions();
        options.Listen.Add(new IPEndPoint(IPAddress.Loopback, 0));
        _server = await ImapServerHost.StartAsync(options, new StaticAccountResolver([(User, Password, _store)]), NullLoggerFactory.Instance);
        _toDovecot = await _dovecot.ConnectAsync();
        _toServer = await RawImapConnection.ConnectAsync("127.0.0.1", _server.Endpoints[0].Port);
        _toDovecot.ReadTimeout = _toServer.ReadTimeout = TimeSpan.FromMinutes(10);
        await _toDovecot.CommandAsync($"LOGIN {_dovecot.DefaultUser.Name} {_dovecot.DefaultUser.Password}");
        await _toServer.CommandAsync($"LOGIN {User} {Password}");
        foreach (var connection in new[] { _toDovecot, _toServer })
        {
            await connection.CommandAsync("SELECT INBOX");
            var warm = await connection.CommandAsync("UID FETCH 1:* (UID FLAGS ENVELOPE BODYSTRUCTURE)");
            Console.WriteLine($"// warm-up: {warm.Lines.Count - 1} FETCH responses");
        }
    }

    /// <summary>Dovecot: the whole folder's ENVELOPE and BODYSTRUCTURE.</summary>
    [Benchmark(Baseline = true)]
    public Task<ImapExchange> Dovecot_uid_fetch_all() => _toDovecot!.CommandAsync("UID FETCH 1:* (UID FLAGS ENVELOPE BODYSTRUCTURE)");

    /// <summary>This server: the same command on the same messages.</summary>
    [Benchmark]
    public Task<ImapExchange> ImapProxy_uid_fetch_all() => _toServer!.CommandAsync("UID FETCH 1:* (UID FLAGS ENVELOPE BODYSTRUCTURE)");

    /// <summary>Dovecot: SELECT of the folder.</summary>
    [Benchmark]
    public Task<ImapExchange> Dovecot_select() => _toDovecot!.CommandAsync("SELECT INBOX");

    /// <summary>This server: SELECT of the folder.</summary>
    [Benchmark]
    public Task<ImapExchange> ImapProxy_select() => _toServer!.CommandAsync("SELECT INBOX");

    /// <summary>Opens 100 more logged-in, selected, idle connections to this server and prints the process's RSS growth.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long before = process.WorkingSet64;
        var idle = new List<RawImapConnection>();
        for (int i = 0; i < 100; i++)
        {
            var connection = await RawImapConnection.ConnectAsync("127.0.0.1", _server!.Endpoints[0].Port);
            await connection.CommandAsync($"LOGIN {User} {Password}");
            await connection.CommandAsync("SELECT INBOX");
            idle.Add(connection);
        }
        GC.Collect();
        process.Refresh();
        Console.WriteLine($"// 100 idle selected connections: RSS {before / 1048576} MB -> {process.WorkingSet64 / 1048576} MB (+{(process.WorkingSet64 - before) / 1048576} MB)");
        foreach (var connection in idle)
        {
            await connection.DisposeAsync();
        }
        await _toDovecot!.DisposeAsync();
        await _toServer!.DisposeAsync();
        await _server!.DisposeAsync();
        await _store!.DisposeAsync();
        await _dovecot!.DisposeAsync();
        Directory.Delete(_root!, recursive: true);
    }
}
