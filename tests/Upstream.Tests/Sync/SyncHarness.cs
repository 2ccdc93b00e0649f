using ImapProxy.Upstream.Sync.InMemory;
using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>
/// A scenario bed: an "upstream" and a "local" side, a state database in a temp directory, and an engine run with
/// the sides in the usual order (upstream = side 0) or swapped. Tests speak in roles, never in side indexes, so every
/// scenario proves the engine's symmetry when run both ways. The sides come from a factory, so the same scenarios
/// can run against real ones (Dovecot, the Maildir store).
/// </summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    public const SideCapabilities Full = SideCapabilities.ModSeq | SideCapabilities.Move | SideCapabilities.AppendUid
                                         | SideCapabilities.ContentKeys | SideCapabilities.ConditionalStore;

    private readonly string _directory;
    private readonly List<IAsyncDisposable> _owned = new();
    private Live.LiveUpstream? _live;

    private SyncHarness(IMailSide upstream, IMailSide local, bool swapped, FaultPlan faults)
    {
        Faults = faults;
        Upstream = new InstrumentedSide(upstream, faults);
        Local = new InstrumentedSide(local, faults);
        Swapped = swapped;
        // tmpfs when there is one: the state database fsyncs every transaction, which is slow on a shared disk.
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _directory = Path.Combine(root, "imapproxy-sync-" + Guid.NewGuid().ToString("N"));
    }

    public InstrumentedSide Upstream { get; }

    public InstrumentedSide Local { get; }

    public bool Swapped { get; }

    public FaultPlan Faults { get; }

    public SyncStateStore State { get; private set; } = null!;

    /// <summary>The local Maildir store, in a bed made by <see cref="CreateWithMaildirAsync"/>.</summary>
    public ImapProxy.Store.AccountStore? Store { get; private set; }

    public string StatePath => Path.Combine(_directory, "state.db");

    /// <summary>Engine index of the upstream role.</summary>
    public int UpIndex => Swapped ? 1 : 0;

    /// <summary>Engine index of the local role.</summary>
    public int LocalIndex => Swapped ? 0 : 1;

    public static async Task<SyncHarness> CreateAsync(
        bool swapped, SideCapabilities upstreamCapabilities = Full, SideCapabilities localCapabilities = Full)
    {
        var harness = new SyncHarness(
            new InMemoryMailSide("upstream", upstreamCapabilities, 1000),
            new InMemoryMailSide("local", localCapabilities, 5000),
            swapped, new FaultPlan());
        harness.State = await SyncStateStore.OpenAsync(harness.StatePath);
        return harness;
    }

    /// <summary>A bed whose local side is a real Maildir store in a temp directory.</summary>
    public static async Task<SyncHarness> CreateWithMaildirAsync(bool swapped, SideCapabilities upstreamCapabilities = Full)
    {
        var root = Path.Combine(Path.GetTempPath(), "imapproxy-maildir-" + Guid.NewGuid().ToString("N"));
        var store = await ImapProxy.Store.AccountStore.OpenAsync(root);
        var harness = new SyncHarness(
            new InMemoryMailSide("upstream", upstreamCapabilities, 1000),
            new ImapProxy.Upstream.Sync.Adapters.MaildirMailSide(store),
            swapped, new FaultPlan());
        harness._owned.Add(store);
        harness._owned.Add(new DirectoryCleanup(root));
        harness.Store = store;
        harness.State = await SyncStateStore.OpenAsync(harness.StatePath);
        return harness;
    }

    /// <summary>A bed whose upstream is a real Dovecot (through <c>ImapMailSide</c>) and whose local side is a real Maildir store.</summary>
    public static async Task<SyncHarness> CreateLiveAsync(bool swapped, params string[] hiddenCapabilities)
    {
        var live = await Live.LiveUpstream.StartAsync(2, hiddenCapabilities);
        var root = Path.Combine(Path.GetTempPath(), "imapproxy-maildir-" + Guid.NewGuid().ToString("N"));
        var store = await ImapProxy.Store.AccountStore.OpenAsync(root);
        var harness = new SyncHarness(live.Side, new ImapProxy.Upstream.Sync.Adapters.MaildirMailSide(store), swapped, new FaultPlan());
        harness._live = live;
        harness._owned.Add(live);
        harness._owned.Add(store);
        harness._owned.Add(new DirectoryCleanup(root));
        harness.State = await SyncStateStore.OpenAsync(harness.StatePath);
        return harness;
    }

    /// <summary>
    /// Another client of the upstream account: on Dovecot its own IMAP session (a side with one connection of its
    /// own), on the in-memory upstream the side itself, bypassing the instrumentation.
    /// </summary>
    public async Task<IMailSide> OtherUpstreamClientAsync()
    {
        if (_live is null)
        {
            return Upstream.Inner;
        }
        var other = await ImapProxy.Upstream.Sync.Adapters.Imap.ImapMailSide.ConnectAsync(_live.Options, 1);
        _owned.Insert(0, other);
        return other;
    }

    private sealed class DirectoryCleanup(string path) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
            return ValueTask.CompletedTask;
        }
    }

    public Task<SyncReport> SyncAsync(SyncOptions? options = null)
    {
        var engine = Swapped ? new SyncEngine(Local, Upstream, State) : new SyncEngine(Upstream, Local, State);
        return engine.RunAsync(options ?? new SyncOptions());
    }

    /// <summary>Closes and reopens the state database, as a restarted process would.</summary>
    public async Task ReopenStateAsync()
    {
        await State.DisposeAsync();
        State = await SyncStateStore.OpenAsync(StatePath);
    }

    /// <summary>Deletes the state database (the "lost state" disaster) and opens a fresh one.</summary>
    public async Task LoseStateAsync()
    {
        await State.DisposeAsync();
        foreach (var file in Directory.GetFiles(_directory))
        {
            File.Delete(file);
        }
        State = await SyncStateStore.OpenAsync(StatePath);
    }

    /// <summary>Syncs and asserts that the run succeeded and a further run finds nothing to do.</summary>
    public async Task<SyncReport> SyncToConvergenceAsync(SyncOptions? options = null)
    {
        var report = await SyncAsync(options);
        Assert.True(report.Success, Explain(report));
        var again = await SyncAsync();
        Assert.True(again.Success, Explain(again));
        Assert.True(again.Folders.All(f => f.Plan is null || f.Plan.IsEmpty), "second run not idle:\n" + Explain(again));
        return report;
    }

    public async Task AssertSidesEqualAsync()
    {
        var up = await SideOps.SnapshotAsync(Upstream);
        var local = await SideOps.SnapshotAsync(Local);
        Assert.True(SideOps.Describe(up) == SideOps.Describe(local),
            $"sides differ\nupstream:\n{SideOps.Describe(up)}\nlocal:\n{SideOps.Describe(local)}");
    }

    public static string Explain(SyncReport report) =>
        string.Join("\n", new[] { $"aborted: {report.Aborted}" }
            .Concat(report.Warnings)
            .Concat(report.FolderActions)
            .Concat(report.Folders.Select(f =>
                $"{f.Folder}: stopped={f.Stopped} error={f.Error} copied={f.Copied[0]}/{f.Copied[1]} flags={f.FlagsChanged[0]}/{f.FlagsChanged[1]} "
                + $"expunged={f.Expunged[0]}/{f.Expunged[1]} notes={string.Join("; ", f.Notes)}")));

    public async ValueTask DisposeAsync()
    {
        await State.DisposeAsync();
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
