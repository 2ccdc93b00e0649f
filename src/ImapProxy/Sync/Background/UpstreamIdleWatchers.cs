using ImapProxy.Configuration;
using ImapProxy.Upstream.Client;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Sync.Background;

/// <summary>
/// One <see cref="MailboxWatcher"/> per IDLEd folder (the account's <c>idle</c> key as far as
/// <see cref="ConnectionBudget"/> allows; names with <c>/</c>, translated to the server's delimiter): IDLE upstream,
/// and on each change (and after each reconnect) a pass over that folder. Connection retries back off in the connector.
/// </summary>
internal sealed class UpstreamIdleWatchers(AccountConfig account, IReadOnlyList<string> folders, SyncRequests requests, UpstreamHealth health, ILogger logger,
    IProtocolTrace? trace)
{
    /// <summary>How long to wait before watching again after a permanent failure (a refused login).</summary>
    internal static TimeSpan PermanentFailurePause { get; set; } = TimeSpan.FromMinutes(5);

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(folders.Select(folder => WatchAsync(folder, cancellationToken)));

    private async Task WatchAsync(string folder, CancellationToken cancellationToken)
    {
        var connector = new ImapConnector(account.ToUpstreamOptions(), new ReconnectPolicy { MaxDelay = TimeSpan.FromSeconds(30) }, trace);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await MailboxWatcher.ForFolder(connector, folder).RunAsync((_, _, _) =>
                {
                    health.Reachable();
                    requests.Request(folder);
                    return Task.CompletedTask;
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A refused login or a missing folder: the sync loop reports the login; a folder problem is this watcher's.
                logger.LogWarning("{Account}: cannot watch {Folder} with IDLE ({Error}); polling covers it, trying again in {Minutes} min",
                    account.Name, folder, e.Message, PermanentFailurePause.TotalMinutes);
                try
                {
                    await Task.Delay(PermanentFailurePause, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
