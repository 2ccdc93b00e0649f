using System.Diagnostics;
using System.Globalization;
using ImapProxy.Configuration;
using ImapProxy.Store;
using ImapProxy.Upstream.Client;
using ImapProxy.Upstream.Sync;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Sync.Background;

/// <summary>How the background sync of <c>serve</c> paces itself.</summary>
internal sealed record BackgroundSyncOptions
{
    /// <summary>How long a request waits for others to join it before the pass starts (local bursts, IDLE bursts).</summary>
    public TimeSpan Gather { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>How often the local folder list is checked for new folders (a CREATE, a <c>mkdir</c>).</summary>
    public TimeSpan FolderListInterval { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>First wait before retrying after the upstream was unreachable; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries while the upstream is unreachable.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>After SIGINT/SIGTERM, how long a pass in flight may go on before it is cancelled (the journal covers the rest).</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The background sync of one account inside <c>serve</c>: an initial pass, then a pass whenever something asks for
/// one — a local change (debounced), an upstream change seen by IDLE on the <c>idle</c> folders, or the <c>poll</c>
/// timer for everything. Passes never overlap. When the upstream is unreachable the local server keeps serving;
/// passes are retried with backoff and the changes made meanwhile are pushed once it is back.
/// </summary>
internal sealed class AccountSyncLoop(
    AccountConfig account, string stateDirectory, AccountStore store, ILogger logger, BackgroundSyncOptions? options = null,
    IProtocolTrace? trace = null)
{
    private readonly BackgroundSyncOptions _options = options ?? new BackgroundSyncOptions();
    private readonly SyncRequests _requests = new();
    private readonly UpstreamHealth _health = new(logger, account.Name);

    /// <summary>Passes completed (for tests and the benchmark).</summary>
    public int Passes => Volatile.Read(ref _passes);

    private int _passes;

    /// <summary>Runs until <paramref name="stopping"/> fires; a pass in flight then gets <see cref="BackgroundSyncOptions.ShutdownGrace"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var hardStop = new CancellationTokenSource();
        await using var grace = stopping.Register(() => hardStop.CancelAfter(_options.ShutdownGrace));
        var budget = ConnectionBudget.For(account);
        if (budget.Warning(account) is { } warning)
        {
            logger.LogWarning("{Warning}", warning);
        }
        await using var synchronizer = new AccountSynchronizer(account, stateDirectory, store, trace, maxConnections: budget.SyncConnections);
        await using var local = new LocalChangeWatcher(store, _requests);
        var idle = new UpstreamIdleWatchers(account, budget.Idled, _requests, _health, logger, trace).RunAsync(stopping);
        var poll = PollAsync(stopping);
        var folderList = local.WatchFolderListAsync(_options.FolderListInterval, stopping);
        _requests.RequestAll();
        try
        {
            await local.RefreshAsync(stopping).ConfigureAwait(false);
            var retryDelay = _options.FirstRetryDelay;
            while (!stopping.IsCancellationRequested)
            {
                var folders = await _requests.TakeAsync(_options.Gather, stopping).ConfigureAwait(false);
                if (await PassAsync(synchronizer, folders, hardStop.Token).ConfigureAwait(false))
                {
                    retryDelay = _options.FirstRetryDelay;
                    await local.RefreshAsync(stopping).ConfigureAwait(false);
                    continue;
                }
                _requests.Return(folders);
                await _health.WaitToRetryAsync(retryDelay, stopping).ConfigureAwait(false);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Serve is stopping; the pass in flight (if any) finished or was cancelled after the grace period.
        }
        await Task.WhenAll(idle, poll, folderList).ConfigureAwait(false);
    }

    /// <summary>One pass; false when the upstream could not be used (to be retried after a backoff).</summary>
    private async Task<bool> PassAsync(AccountSynchronizer synchronizer, IReadOnlyList<string>? folders, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        try
        {
            var report = await synchronizer.RunOnceAsync(new SyncRequestOptions { Folders = folders ?? [] }, null, cancellationToken)
                .ConfigureAwait(false);
            Interlocked.Increment(ref _passes);
            _health.Reachable();
            Log(report, folders, clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever went wrong, serve goes on serving the mirror; the pass is retried with backoff.
            var message = SyncRunner.Classify(e)?.Message;
            if (message is null)
            {
                message = $"sync failed: {e.GetType().Name}: {e.Message}";
                logger.LogError(e, "{Account}: {Message}", account.Name, message);
            }
            _health.Unreachable(message);
            try
            {
                await synchronizer.RecordFailureAsync(message, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception recordFailure) when (recordFailure is not OperationCanceledException)
            {
                logger.LogDebug(recordFailure, "{Account}: could not record the failure in the state", account.Name);
            }
            return false;
        }
    }

    private void Log(SyncReport report, IReadOnlyList<string>? folders, TimeSpan elapsed, TimeSpan cpu)
    {
        var scope = folders is null ? "all folders" : string.Join(", ", folders);
        var lines = SyncReportText.Lines(account.Name, report, elapsed);
        var changed = lines.Count > 1 || !report.Success;
        // The pass itself, to the tenth of a millisecond (the summary line rounds to a tenth of a second): what
        // bench/ serve-sync measures against the 50 ms goal for a pass that finds nothing to do. The process's CPU
        // time over the pass (IDLE and the local server included) tells the pass's cost apart from a loaded machine.
        logger.Log(changed ? LogLevel.Information : LogLevel.Debug, "{Account}: pass took {Milliseconds} ms, CPU {Cpu} ms ({Scope}; {Outcome})",
            account.Name, Ms(elapsed), Ms(cpu), scope, changed ? "changes" : "nothing to do");
        foreach (var line in lines)
        {
            if (!report.Success && (line.Contains(": failed: ", StringComparison.Ordinal) || line.Contains(": stopped: ", StringComparison.Ordinal)))
            {
                logger.LogWarning("{Line}", line);
            }
            else
            {
                logger.Log(changed ? LogLevel.Information : LogLevel.Debug, "{Line} ({Scope})", line, scope);
            }
        }
    }

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);

    private async Task PollAsync(CancellationToken stopping)
    {
        if (account.Poll <= TimeSpan.Zero)
        {
            return;
        }
        try
        {
            while (true)
            {
                await Task.Delay(account.Poll, stopping).ConfigureAwait(false);
                _requests.RequestAll();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
