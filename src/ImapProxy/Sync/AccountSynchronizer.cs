using ImapProxy.Configuration;
using ImapProxy.Store;
using ImapProxy.Upstream.Client;
using ImapProxy.Upstream.Sync;
using ImapProxy.Upstream.Sync.Adapters;
using ImapProxy.Upstream.Sync.Adapters.Imap;
using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Sync;

/// <summary>What one sync pass of an account is asked to do.</summary>
public sealed record SyncRequestOptions
{
    /// <summary>Only these folders (names or LIST patterns, <c>/</c> as delimiter; the <c>-f</c> list); empty for all.</summary>
    public IReadOnlyList<string> Folders { get; init; } = [];

    /// <summary>Compute and report the plan; change nothing on either side nor in the state.</summary>
    public bool DryRun { get; init; }

    /// <summary>Let deletions through that the deletion guard would stop (<c>--allow-mass-delete</c>).</summary>
    public bool AllowMassDelete { get; init; }
}

/// <summary>
/// Synchronises one account's mirror with its upstream server, one pass at a time: the building block of both
/// <c>imapproxy sync</c> (one pass, then dispose) and <c>serve</c> (a pass whenever something changed, on one
/// long-lived instance, so the upstream connections, the state database and the store stay open between passes).
/// </summary>
/// <remarks>
/// Resources open on the first pass: the account's <see cref="AccountStore"/> (unless one was given, which then
/// stays the caller's), its <see cref="SyncStateStore"/> at <see cref="StatePathFor"/>, and an
/// <see cref="ImapMailSide"/> with up to <c>maxconnections</c> connections. If connecting fails, the pass throws
/// (<see cref="ImapConnectionException"/>, <see cref="ImapAuthenticationException"/>, ...) and the next pass tries
/// again. Passes on one instance never overlap: a second call waits for the first.
/// </remarks>
public sealed class AccountSynchronizer : IAsyncDisposable
{
    private readonly string _statePath;
    private readonly AccountStore? _givenStore;
    private readonly Func<CancellationToken, Task<ImapClient>> _connect;
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly int _maxConnections;
    private AccountStore? _ownedStore;
    private SyncStateStore? _state;
    private ImapMailSide? _upstream;

    /// <summary>Creates a synchronizer; nothing is opened until the first pass.</summary>
    /// <param name="account">The account.</param>
    /// <param name="stateDirectory">The <c>statedir</c>; the account's sync state lives below it.</param>
    /// <param name="store">The account's mirror when the caller already has it open (serve); else opened here.</param>
    /// <param name="trace">Protocol trace for the upstream connections (<c>--trace imap</c>), or null.</param>
    /// <param name="connect">Opens one upstream connection; by default a direct connect with the account's options, no retries.</param>
    /// <param name="maxConnections">The most upstream connections the passes use; default the account's <c>maxconnections</c>
    /// (serve gives fewer: its IDLE connections count within it).</param>
    public AccountSynchronizer(AccountConfig account, string stateDirectory, AccountStore? store = null, IProtocolTrace? trace = null,
        Func<CancellationToken, Task<ImapClient>>? connect = null, int? maxConnections = null)
    {
        Account = account;
        _maxConnections = Math.Max(1, maxConnections ?? account.MaxConnections);
        _statePath = StatePathFor(stateDirectory, account.Name);
        _givenStore = store;
        var options = account.ToUpstreamOptions();
        _connect = connect ?? (ct => ImapClient.ConnectAsync(options, trace, ct));
    }

    /// <summary>The account.</summary>
    public AccountConfig Account { get; }

    /// <summary>Where an account's sync state database lives: <c>&lt;statedir&gt;/&lt;account&gt;.sync.sqlite</c>.</summary>
    public static string StatePathFor(string stateDirectory, string accountName) =>
        Path.Combine(stateDirectory, accountName + ".sync.sqlite");

    /// <summary>Runs one pass and returns what it did (or, in a dry run, would do).</summary>
    /// <param name="options">Folders, dry run, mass-delete override.</param>
    /// <param name="progress">Receives the engine's events (folder started, message copied, folder finished, warnings).</param>
    /// <param name="cancellationToken">Stops the pass; work done so far is kept, the journal covers the rest.</param>
    public async Task<SyncReport> RunOnceAsync(SyncRequestOptions options, IProgress<SyncEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await OpenUpstreamAndStoreAsync(cancellationToken).ConfigureAwait(false);
            var store = _givenStore ?? _ownedStore!;
            if (_state is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_statePath)!);
                _state = await SyncStateStore.OpenAsync(_statePath, cancellationToken).ConfigureAwait(false);
            }
            var filter = FolderFilter.For(Account, options.Folders);
            var engine = new SyncEngine(_upstream!, new MaildirMailSide(store), _state);
            var report = await engine.RunAsync(new SyncOptions
            {
                DryRun = options.DryRun,
                AllowMassDelete = options.AllowMassDelete,
                MassDeleteShare = Account.MassDelete.Share,
                MassDeleteMinMessages = Account.MassDelete.Minimum,
                MaxParallelFolders = _maxConnections,
                IncludeFolder = filter.Includes,
                Progress = progress,
            }, cancellationToken).ConfigureAwait(false);
            await RunLogRecorder.RecordAsync(_state, report, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            return report;
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>
    /// Upstream first: an unreachable server or a refused login fails the pass before anything is created locally.
    /// A mirror whose index already exists is opened meanwhile, since opening it creates nothing: the store's start
    /// then hides behind the login round trips (most of a no-op <c>imapproxy sync</c> is such fixed costs).
    /// </summary>
    private async Task OpenUpstreamAndStoreAsync(CancellationToken cancellationToken)
    {
        var connecting = _upstream is null ? ImapMailSide.ConnectAsync(_connect, _maxConnections, cancellationToken) : null;
        if (connecting is not null && _givenStore is null && _ownedStore is null
            && File.Exists(Path.Combine(Account.MaildirPath, MailStoreOptions.DefaultIndexFileName)))
        {
            try
            {
                _ownedStore = await OpenStoreAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await DiscardAsync(connecting).ConfigureAwait(false);
                throw;
            }
        }
        if (connecting is not null)
        {
            _upstream = await connecting.ConfigureAwait(false);
        }
        if (_givenStore is null)
        {
            _ownedStore ??= await OpenStoreAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<AccountStore> OpenStoreAsync(CancellationToken cancellationToken) =>
        AccountStore.OpenAsync(Account.MaildirPath, new MailStoreOptions { Layout = Account.Layout }, cancellationToken);

    /// <summary>Closes a connection whose pass failed before it was needed; its own failure adds nothing.</summary>
    private static async Task DiscardAsync(Task<ImapMailSide> connecting)
    {
        try
        {
            await (await connecting.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The pass already fails with the store's error.
        }
    }

    /// <summary>
    /// Records in the state's run log (for <c>imapproxy status</c>) that a pass failed as a whole, e.g. the upstream
    /// was unreachable; nothing when the account has no state yet.
    /// </summary>
    public async Task RecordFailureAsync(string error, CancellationToken cancellationToken = default)
    {
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state is null)
            {
                if (!File.Exists(_statePath))
                {
                    return;
                }
                _state = await SyncStateStore.OpenAsync(_statePath, cancellationToken).ConfigureAwait(false);
            }
            await RunLogRecorder.RecordFailureAsync(_state, error, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>Logs out upstream and closes what this instance opened (a given store stays open).</summary>
    public async ValueTask DisposeAsync()
    {
        await _running.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_upstream is not null)
            {
                await _upstream.DisposeAsync().ConfigureAwait(false);
                _upstream = null;
            }
            if (_state is not null)
            {
                await _state.DisposeAsync().ConfigureAwait(false);
                _state = null;
            }
            if (_ownedStore is not null)
            {
                await _ownedStore.DisposeAsync().ConfigureAwait(false);
                _ownedStore = null;
            }
        }
        finally
        {
            _running.Release();
        }
    }
}
