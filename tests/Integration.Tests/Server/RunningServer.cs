using System.Net;
using ImapProxy.Server;
using ImapProxy.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>The real server on 127.0.0.1:&lt;free port&gt; over a real Maildir mirror in a temp directory.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    public const string User = "localuser";
    public const string Password = "local-secret";

    private readonly RunningImapServer _server;

    private RunningServer(string root, AccountStore store, RunningImapServer server)
    {
        Root = root;
        Store = store;
        _server = server;
    }

    public string Root { get; }

    public AccountStore Store { get; }

    public int Port => _server.Endpoints[0].Port;

    public IPEndPoint Endpoint => _server.Endpoints[0];

    public static async Task<RunningServer> StartAsync(string? root = null, Action<ServerOptions>? configure = null)
    {
        root ??= Directory.CreateTempSubdirectory("imapproxy-it-").FullName;
        var store = await AccountStore.OpenAsync(root, new MailStoreOptions());
        var options = new ServerOptions();
        options.Listen.Add(new IPEndPoint(IPAddress.Loopback, 0));
        configure?.Invoke(options);
        var server = await ImapServerHost.StartAsync(options, new StaticAccountResolver([(User, Password, store)]), NullLoggerFactory.Instance);
        return new RunningServer(root, store, server);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A client may still hold a file; the temp directory is cleaned by the OS eventually.
        }
    }
}
