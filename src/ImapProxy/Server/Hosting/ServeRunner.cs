using System.Net;
using ImapProxy.Cli;
using ImapProxy.Configuration;
using ImapProxy.Logging;
using ImapProxy.Store;
using ImapProxy.Sync.Background;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Server;

/// <summary>
/// <c>imapproxy serve</c>: opens every account's mirror and runs the local IMAP server on <c>listen</c>
/// (and <c>[::1]</c> on the same port when <c>listen</c> is 127.0.0.1), plus <c>tls_listen</c> when a
/// certificate is configured, and (unless <c>--offline</c>) one background sync loop per account
/// (<see cref="AccountSyncLoop"/>). Stops on SIGINT/SIGTERM: clients get BYE, passes in flight finish or are journaled.
/// </summary>
public sealed class ServeRunner : IServeRunner
{
    /// <inheritdoc />
    public async Task<int> RunAsync(ServeRequest request, CancellationToken cancellationToken)
    {
        var general = request.Config.General;
        var options = new ServerOptions { TrimMemoryWhenIdle = true };
        options.Listen.Add(general.Listen);
        if (general.Listen.Address.Equals(IPAddress.Loopback))
        {
            options.Listen.Add(new IPEndPoint(IPAddress.IPv6Loopback, general.Listen.Port));
        }
        if (general.TlsCertificate is not null && general.TlsKey is not null)
        {
            options.Certificate = ServerOptions.LoadCertificate(general.TlsCertificate, general.TlsKey);
            if (general.TlsListen is not null)
            {
                options.ListenTls.Add(general.TlsListen);
            }
        }
        options.TraceImap = request.Trace.HasFlag(TraceTargets.Imap);
        using var loggerFactory = ProxyLogging.CreateFactory(request.LogLevel, request.Trace);
        var logger = loggerFactory.CreateLogger("ImapProxy.Sync");
        var stores = new List<AccountStore>();
        try
        {
            foreach (var account in request.Config.Accounts)
            {
                stores.Add(await AccountStore.OpenAsync(account.MaildirPath, new MailStoreOptions { Layout = account.Layout }, cancellationToken).ConfigureAwait(false));
            }
            var resolver = new StaticAccountResolver(request.Config.Accounts.Select((a, i) => (a.LocalUser, a.LocalPassword, stores[i])));
            var server = await ImapServerHost.StartAsync(options, resolver, loggerFactory, cancellationToken).ConfigureAwait(false);
            var syncs = new List<Task>();
            try
            {
                if (request.Offline)
                {
                    logger.LogInformation("offline: serving the mirror only, never contacting the upstream servers");
                }
                else
                {
                    for (var i = 0; i < stores.Count; i++)
                    {
                        var account = request.Config.Accounts[i];
                        var trace = ProxyLogging.UpstreamTrace(loggerFactory, request.Trace, account.Name);
                        syncs.Add(new AccountSyncLoop(account, general.StateDir, stores[i], logger, trace: trace).RunAsync(cancellationToken));
                    }
                }
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // SIGINT/SIGTERM: the normal way to stop.
            }
            finally
            {
                // Clients get BYE while a pass in flight finishes (or is cut after its grace period, the journal covering it).
                await server.DisposeAsync().ConfigureAwait(false);
                await Task.WhenAll(syncs).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        }
        catch (ServerStartException ex)
        {
            return request.Console.Fail(ExitCodes.Unavailable, ex.Message);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
