using System.Text;
using ImapProxy.Cli;
using ImapProxy.Configuration;
using ImapProxy.Store;
using ImapProxy.Sync;
using ImapProxy.TestSupport;
using ImapProxy.Upstream.Client;
using ImapProxy.Upstream.Sync;
using ImapProxy.Upstream.Sync.Adapters;
using ImapProxy.Upstream.Sync.Adapters.Imap;
using ImapProxy.Upstream.Tests.Sync;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>The result of one in-process <c>imapproxy</c> run.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// A real Dovecot upstream, a config file with one account "acct" on it, and that account's real Maildir mirror and
/// state directory in a temp directory. Runs <c>imapproxy</c> in-process through its CLI entry point, or one pass
/// through <see cref="AccountSynchronizer"/>; observes and changes both sides through their <see cref="IMailSide"/>s.
/// </summary>
internal sealed class SyncBed : IAsyncDisposable
{
    public const string Account = "acct";

    private SyncBed(DovecotTestBed dovecot, string directory)
    {
        Dovecot = dovecot;
        Directory = directory;
    }

    public DovecotTestBed Dovecot { get; }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "config.ini");

    public string StateDir => Path.Combine(Directory, "state");

    public string MaildirPath => Path.Combine(Directory, "mail", Account);

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["HOME"] = Directory };

    public static async Task<SyncBed> StartAsync(string[]? hidden = null, string password = "secret", string extraAccountLines = "")
    {
        var dovecot = await DovecotTestBed.StartAsync(new DovecotOptions { HiddenCapabilities = hidden ?? [] });
        var directory = System.IO.Directory.CreateTempSubdirectory("imapproxy-syncbed-").FullName;
        var bed = new SyncBed(dovecot, directory);
        var config = new StringBuilder();
        config.Append("[general]\nstatedir = state\nmaildir = mail\n\n");
        config.Append($"[account {Account}]\nhost = 127.0.0.1\nport = {dovecot.Port}\ntls = none\nuser = {dovecot.DefaultUser.Name}\n");
        config.Append($"password = {password}\nlocaluser = local\nlocalpassword = local-secret\nmaxconnections = 3\ntimeout = 30\n{extraAccountLines}\n");
        await File.WriteAllTextAsync(bed.ConfigPath, config.ToString());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bed.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return bed;
    }

    /// <summary>Runs <c>imapproxy ARGS -c config</c> in-process, as Program.Main does.</summary>
    public async Task<CliRun> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, "-c", ConfigPath], new CliConsole(output, error), Environment,
            CommandServices.Default, handleSignals: false, CancellationToken.None);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    /// <summary>The account as the config file defines it.</summary>
    public async Task<AccountConfig> AccountConfigAsync()
    {
        var config = await ConfigLoader.LoadAsync(ConfigPath, Environment, _ => { }, CancellationToken.None);
        return config.Accounts.Single();
    }

    /// <summary>One pass through <see cref="AccountSynchronizer"/> (what serve will call).</summary>
    public async Task<SyncReport> SyncOnceAsync(SyncRequestOptions? options = null, List<string>? sent = null)
    {
        var trace = sent is null ? null : new DelegateProtocolTrace((direction, line) =>
        {
            if (direction == TraceDirection.Client)
            {
                lock (sent)
                {
                    sent.Add(line);
                }
            }
        });
        await using var synchronizer = new AccountSynchronizer(await AccountConfigAsync(), StateDir, trace: trace);
        return await synchronizer.RunOnceAsync(options ?? new SyncRequestOptions());
    }

    /// <summary>Syncs, asserts success, and asserts that a second pass finds nothing to do.</summary>
    public async Task<SyncReport> SyncToConvergenceAsync(List<string>? sent = null)
    {
        var report = await SyncOnceAsync(sent: sent);
        Assert.True(report.Success, Explain(report));
        var again = await SyncOnceAsync();
        Assert.True(again.Success, Explain(again));
        Assert.True(again.Folders.All(f => f.Plan is null || f.Plan.IsEmpty) && again.FolderActions.Count == 0 && again.Moves.Count == 0,
            "second pass not idle:\n" + Explain(again));
        return report;
    }

    public static string Explain(SyncReport report) => string.Join("\n", SyncReportText.Lines(Account, report, TimeSpan.Zero));

    /// <summary>Runs <paramref name="action"/> on the upstream as an <see cref="ImapMailSide"/> (its own connection).</summary>
    public async Task<T> UpstreamAsync<T>(Func<ImapMailSide, Task<T>> action)
    {
        await using var side = await ImapMailSide.ConnectAsync(new UpstreamOptions
        {
            Host = Dovecot.Host, Port = Dovecot.Port, Tls = TlsMode.None, User = Dovecot.DefaultUser.Name,
            Password = Dovecot.DefaultUser.Password, ReadTimeout = TimeSpan.FromSeconds(30),
        }, 1);
        return await action(side);
    }

    /// <summary>Runs <paramref name="action"/> on the mirror (opened, then closed again before the next sync).</summary>
    public async Task<T> LocalAsync<T>(Func<MaildirMailSide, AccountStore, Task<T>> action)
    {
        await using var store = await AccountStore.OpenAsync(MaildirPath, new MailStoreOptions());
        return await action(new MaildirMailSide(store), store);
    }

    public Task<SortedDictionary<string, List<string>>> UpstreamSnapshotAsync() => UpstreamAsync(side => SideOps.SnapshotAsync(side));

    public Task<SortedDictionary<string, List<string>>> LocalSnapshotAsync() => LocalAsync((side, _) => SideOps.SnapshotAsync(side));

    public async Task AssertSidesEqualAsync()
    {
        var up = SideOps.Describe(await UpstreamSnapshotAsync());
        var local = SideOps.Describe(await LocalSnapshotAsync());
        Assert.True(up == local, $"sides differ\nupstream:\n{up}\nlocal:\n{local}");
    }

    public async ValueTask DisposeAsync()
    {
        await Dovecot.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
