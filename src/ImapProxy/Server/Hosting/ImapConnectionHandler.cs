using System.Net;
using ImapProxy.Logging;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Server;

/// <summary>Kestrel's entry for each accepted TCP connection: works out the transport facts, then runs a session.</summary>
internal sealed class ImapConnectionHandler : ConnectionHandler
{
    private readonly ServerOptions _options;
    private readonly IAccountResolver _accounts;
    private readonly ILoggerFactory _loggerFactory;

    public ImapConnectionHandler(ServerOptions options, IAccountResolver accounts, ILoggerFactory loggerFactory)
    {
        _options = options;
        _accounts = accounts;
        _loggerFactory = loggerFactory;
    }

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = connection.RemoteEndPoint as IPEndPoint;
        var transport = new ConnectionTransport(
            connection.Transport,
            IsLoopback: remote is not null && IPAddress.IsLoopback(remote.Address),
            IsTls: connection.Features.Get<ITlsHandshakeFeature>() is not null,
            Remote: remote?.ToString() ?? "unknown",
            CanStartTls: _options.Certificate is not null);
        var trace = _options.TraceImap ? ProxyLogging.LocalTrace(_loggerFactory, transport.Remote) : null;
        var session = new ImapSession(transport, _options, _accounts, _loggerFactory.CreateLogger<ImapSession>(), trace);
        // Kestrel asks every connection to close when the host stops (SIGINT/SIGTERM), before it aborts them.
        var closeRequested = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
        await session.RunAsync(connection.ConnectionClosed, closeRequested).ConfigureAwait(false);
    }
}
