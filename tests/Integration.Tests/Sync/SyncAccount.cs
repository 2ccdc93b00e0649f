using ImapProxy.Store;
using ImapProxy.TestSupport;
using ImapProxy.Upstream.Client;
using ImapProxy.Upstream.Sync;
using ImapProxy.Upstream.Sync.Adapters;
using ImapProxy.Upstream.Sync.Adapters.Imap;
using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>The outcome of one sync run: its report, or the exception it ended with.</summary>
internal sealed record SyncRun(SyncReport? Report, string? Failure)
{
    public bool Success => Report is { Success: true };

    public bool Idle => Report is { } r && r.Folders.All(f => f.Plan is null || f.Plan.IsEmpty);

    public string Describe() => Failure ?? Explain(Report!);

    public static string Explain(SyncReport report) =>
        string.Join("\n", new[] { $"aborted: {report.Aborted}; replayed intents: {report.ReplayedIntents}" }
            .Concat(report.Warnings)
            .Concat(report.FolderActions)
            .Concat(report.Folders.Select(f =>
                $"{f.Folder}: stopped={f.Stopped} error={f.Error} copied={f.Copied[0]}/{f.Copied[1]} flags={f.FlagsChanged[0]}/{f.FlagsChanged[1]} "
                + $"expunged={f.Expunged[0]}/{f.Expunged[1]} notes={string.Join("; ", f.Notes)}")));
}

/// <summary>
/// One trial's account: a Dovecot user (upstream), a Maildir mirror and a sync state in a temp directory, and the
/// model of what both sides should hold. Syncs run in-process here, each as a fresh start (store, state and
/// connections opened and closed per run), as the <c>imapproxy sync</c> command does.
/// </summary>
internal sealed class SyncAccount
{
    private int _nextMessage;

    public SyncAccount(DovecotTestBed bed, DovecotUser user, string directory, int number)
    {
        Bed = bed;
        User = user;
        Directory = directory;
        Number = number;
        System.IO.Directory.CreateDirectory(directory);
    }

    public DovecotTestBed Bed { get; }

    public DovecotUser User { get; }

    public string Directory { get; }

    public int Number { get; }

    /// <summary>The account's name in the config <see cref="WriteConfigAsync"/> writes: the mirror and the state are named after it.</summary>
    public const string Name = "mirror";

    public string LocalRoot => Path.Combine(Directory, Name);

    /// <summary>Where <c>imapproxy sync</c> keeps this account's state (statedir = the account's directory).</summary>
    public string StatePath => Path.Combine(Directory, Name + ".sync.sqlite");

    public string ConfigPath => Path.Combine(Directory, "config.ini");

    /// <summary>
    /// Writes a config for <c>imapproxy</c> with this account alone, upstream at <paramref name="port"/> (a relay's),
    /// mirror and state where the in-process runs keep them, and <see cref="Connections"/> upstream connections.
    /// </summary>
    public async Task WriteConfigAsync(int port)
    {
        var config = $"[general]\nmaildir = {Directory}\nstatedir = {Directory}\n\n[account {Name}]\nhost = {Bed.Host}\nport = {port}\n"
                     + $"tls = none\nuser = {User.Name}\npassword = {User.Password}\nlocaluser = local\nlocalpassword = local-secret\n"
                     + $"maxconnections = {Connections}\ntimeout = 30\n";
        await File.WriteAllTextAsync(ConfigPath, config);
        if (!OperatingSystem.IsWindows())
        {
            // It holds a password: imapproxy warns about a config others can read.
            File.SetUnixFileMode(ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Upstream connections (and folders worked on at once) per sync run, as <c>maxconnections</c>.</summary>
    public int Connections { get; init; } = 1;

    public MailModel Model { get; } = new();

    /// <summary>A new, unique, not too large message for this account.</summary>
    public byte[] NewMessage()
    {
        while (true)
        {
            var message = SyntheticMail.Create(Interlocked.Increment(ref _nextMessage), seed: 1000 + Number);
            if (message.Length < 48 * 1024)
            {
                return message;
            }
        }
    }

    public UpstreamOptions Options(int port) => new()
    {
        Host = Bed.Host, Port = port, Tls = TlsMode.None, User = User.Name, Password = User.Password,
        ReadTimeout = TimeSpan.FromSeconds(15), ConnectTimeout = TimeSpan.FromSeconds(15),
    };

    public Task<RawMailbox> UpstreamAsync() => RawMailbox.LoginAsync(Bed.Host, Bed.Port, User.Name, User.Password);

    /// <summary>
    /// One sync run against <paramref name="port"/> (default: Dovecot directly), over <see cref="Connections"/>
    /// upstream connections working on as many folders at once, as <c>imapproxy sync</c> does; on
    /// <paramref name="sharedStore"/> when given (a store a local server also serves), else on a store of its own.
    /// </summary>
    public async Task<SyncRun> SyncAsync(int? port = null, AccountStore? sharedStore = null)
    {
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            var store = sharedStore ?? await AccountStore.OpenAsync(LocalRoot, cancellationToken: hang.Token);
            try
            {
                await using var state = await SyncStateStore.OpenAsync(StatePath, hang.Token);
                await using var upstream = await ImapMailSide.ConnectAsync(Options(port ?? Bed.Port), Connections, null, hang.Token);
                var report = await new SyncEngine(upstream, new MaildirMailSide(store), state)
                    .RunAsync(new SyncOptions { MaxParallelFolders = Connections }, hang.Token);
                return new SyncRun(report, null);
            }
            finally
            {
                if (sharedStore is null)
                {
                    await store.DisposeAsync();
                }
            }
        }
        catch (Exception e) when (!hang.IsCancellationRequested)
        {
            return new SyncRun(null, $"{e.GetType().Name}: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return new SyncRun(null, "HANG: the sync did not finish in time");
        }
    }

    /// <summary>
    /// The check after a fault: one clean run must succeed and leave both sides holding exactly what the model says
    /// (bodies by SHA-256, flags, no duplicates), and a further run must find nothing to do.
    /// </summary>
    public async Task<Convergence> ConvergeAsync()
    {
        var problems = new List<string>();
        var clean = await SyncAsync();
        if (!clean.Success)
        {
            problems.Add("clean rerun failed:\n" + clean.Describe());
        }
        MailSnapshot upstream;
        await using (var mailbox = await UpstreamAsync())
        {
            upstream = await mailbox.SnapshotAsync();
        }
        var local = await LocalMirror.SnapshotAsync(LocalRoot);
        problems.AddRange(Model.Differences(upstream).Select(d => "upstream " + d));
        problems.AddRange(Model.Differences(local).Select(d => "local " + d));
        if (problems.Count == 0)
        {
            var again = await SyncAsync();
            if (!again.Success || !again.Idle)
            {
                problems.Add("second clean run not idle:\n" + again.Describe());
            }
        }
        if (problems.Count > 0 && clean.Report is not null)
        {
            problems.Add("clean rerun report:\n" + clean.Describe());
            problems.Add("upstream holds:\n" + upstream.Describe());
            problems.Add("local holds:\n" + local.Describe());
        }
        return new Convergence(problems, clean);
    }
}

/// <summary>What the check after a fault found (empty when all is well) and the clean rerun it made.</summary>
internal sealed record Convergence(List<string> Problems, SyncRun CleanRun)
{
    public bool Ok => Problems.Count == 0;

    public override string ToString() => string.Join("\n", Problems);
}
