using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Server;

/// <summary>Starts the local IMAP server on Kestrel: one connection handler per TCP connection.</summary>
public static class ImapServerHost
{
    /// <summary>Runs the server until <paramref name="cancellationToken"/> fires (the CLI's <c>serve</c>).</summary>
    /// <exception cref="ServerStartException">A port is in use or cannot be bound.</exception>
    public static async Task RunAsync(ServerOptions options, IAccountResolver accounts, CancellationToken cancellationToken,
        ILoggerFactory? loggerFactory = null)
    {
        await using var server = await StartAsync(options, accounts, loggerFactory, cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The normal way to stop serving.
        }
    }

    /// <summary>Binds every endpoint and starts accepting connections; dispose the result to stop.</summary>
    /// <exception cref="ServerStartException">A port is in use or cannot be bound.</exception>
    public static async Task<RunningImapServer> StartAsync(ServerOptions options, IAccountResolver accounts,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(accounts);
        var builder = WebApplication.CreateSlimBuilder();
        if (loggerFactory is not null)
        {
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(loggerFactory);
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(accounts);
        builder.Services.AddSingleton<ImapConnectionHandler>();
        if (options.TrimMemoryWhenIdle)
        {
            builder.Services.AddHostedService<IdleMemoryTrimmer>();
        }

        var listeners = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var endpoint in options.PlainEndpoints().Where(IsBindable))
            {
                kestrel.Listen(endpoint, listen =>
                {
                    listen.Protocols = HttpProtocols.None;
                    listen.UseConnectionHandler<ImapConnectionHandler>();
                    listeners.Add(listen);
                });
            }
            if (options.Certificate is { } certificate)
            {
                foreach (var endpoint in options.ListenTls.Where(IsBindable))
                {
                    kestrel.Listen(endpoint, listen =>
                    {
                        listen.Protocols = HttpProtocols.None;
                        // Kestrel's default ALPN list is h2/http1.1: a client offering "imap" would get a fatal alert.
                        listen.UseHttps(new TlsHandshakeCallbackOptions
                        {
                            OnConnection = _ => ValueTask.FromResult(TlsSettings.ServerAuthentication(certificate)),
                        });
                        listen.UseConnectionHandler<ImapConnectionHandler>();
                        listeners.Add(listen);
                    });
                }
            }
        });
        var app = builder.Build();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (FindAddressInUse(ex) is not null || ex is IOException or SocketException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            var ports = string.Join(", ", options.PlainEndpoints().Concat(options.ListenTls).Select(e => e.ToString()));
            var reason = FindAddressInUse(ex) is not null
                ? $"address already in use: another program (DavMail and Proton Bridge also default to port {ServerOptions.DefaultPort}) is listening on {ports}"
                : $"cannot listen on {ports}: {ex.Message}";
            throw new ServerStartException(reason, ex);
        }
        return new RunningImapServer(app, listeners.Select(l => l.IPEndPoint!).ToList());
    }

    private static bool IsBindable(IPEndPoint endpoint) =>
        endpoint.AddressFamily != AddressFamily.InterNetworkV6 || Socket.OSSupportsIPv6;

    private static Exception? FindAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is AddressInUseException || ex is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return ex;
            }
        }
        return null;
    }
}

/// <summary>A started server; disposing it stops listening and closes connections.</summary>
public sealed class RunningImapServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningImapServer(WebApplication app, IReadOnlyList<IPEndPoint> endpoints)
    {
        _app = app;
        Endpoints = endpoints;
    }

    /// <summary>The endpoints actually bound (with real port numbers when port 0 was asked for).</summary>
    public IReadOnlyList<IPEndPoint> Endpoints { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>The server could not start listening; the message names the address and port.</summary>
public sealed class ServerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServerStartException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>TLS parameters shared by implicit TLS and STARTTLS.</summary>
internal static class TlsSettings
{
    public static SslServerAuthenticationOptions ServerAuthentication(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => new()
    {
        ServerCertificate = certificate,
        ApplicationProtocols = [new SslApplicationProtocol("imap")],
        ClientCertificateRequired = false,
    };
}
