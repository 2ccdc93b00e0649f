using System.Net;
using System.Net.Sockets;
using ImapProxy.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>The Kestrel listener: loopback on both address families, port clashes, implicit TLS, STARTTLS.</summary>
public sealed class ListenerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imapproxy-listener-").FullName;

    [Fact]
    public async Task Greets_on_ipv4_and_ipv6_loopback()
    {
        var options = new ServerOptions();
        options.Listen.Add(new IPEndPoint(IPAddress.Loopback, 0));
        options.Listen.Add(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        await using var server = await ImapServerHost.StartAsync(options, new NoAccounts(), NullLoggerFactory.Instance);
        Assert.Equal(2, server.Endpoints.Count);
        foreach (var endpoint in server.Endpoints)
        {
            Assert.NotEqual(0, endpoint.Port);
            await using var client = await LineClient.ConnectAsync(endpoint);
            var greeting = await client.ReadLineAsync();
            Assert.StartsWith("* OK [CAPABILITY IMAP4rev1 ", greeting);
            Assert.Contains("AUTH=PLAIN", greeting); // loopback: passwords allowed
        }
    }

    [Fact]
    public async Task Port_in_use_gives_a_clear_error_naming_the_port()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var options = new ServerOptions();
        options.Listen.Add(new IPEndPoint(IPAddress.Loopback, port));
        var error = await Assert.ThrowsAsync<ServerStartException>(() => ImapServerHost.StartAsync(options, new NoAccounts(), NullLoggerFactory.Instance));
        Assert.Contains("address already in use", error.Message);
        Assert.Contains($":{port}", error.Message);
    }

    [Fact]
    public async Task Implicit_tls_accepts_clients_offering_alpn_imap()
    {
        var (cert, key) = TestCertificate.WritePem(_dir);
        var options = new ServerOptions { Certificate = ServerOptions.LoadCertificate(cert, key) };
        options.Listen.Add(new IPEndPoint(IPAddress.Loopback, 0));
        options.ListenTls.Add(new IPEndPoint(IPAddress.Loopback, 0));
        await using var server = await ImapServerHost.StartAsync(options, new NoAccounts(), NullLoggerFactory.Instance);
        foreach (var alpn in new[] { "imap", null })
        {
            await using var client = await LineClient.ConnectAsync(server.Endpoints[1], implicitTls: true, alpn: alpn);
            var greeting = await client.ReadLineAsync();
            Assert.StartsWith("* OK [CAPABILITY IMAP4rev1 ", greeting);
            Assert.DoesNotContain("STARTTLS", greeting); // already encrypted
        }
    }

    [Fact]
    public async Task Starttls_never_runs_commands_sent_behind_it_in_plain_text()
    {
        var (cert, key) = TestCertificate.WritePem(_dir);
        var options = new ServerOptions { Certificate = ServerOptions.LoadCertificate(cert, key) };
        options.Listen.Add(new IPEndPoint(IPAddress.Loopback, 0));
        await using var server = await ImapServerHost.StartAsync(options, new NoAccounts(), NullLoggerFactory.Instance);
        await using var client = await LineClient.ConnectAsync(server.Endpoints[0]);
        Assert.Contains("STARTTLS", await client.ReadLineAsync());
        // The injection: a command in the same packet as STARTTLS.
        await client.SendAsync("a1 STARTTLS\r\na2 LOGOUT\r\n");
        Assert.Equal(["a1 OK Begin TLS negotiation now"], await client.ReadUntilTaggedAsync("a1"));
        await client.UpgradeToTlsAsync();
        await client.SendAsync("a3 CAPABILITY\r\n");
        var lines = await client.ReadUntilTaggedAsync("a3");
        Assert.DoesNotContain(lines, l => l.StartsWith("a2") || l.StartsWith("* BYE"));
        Assert.DoesNotContain("STARTTLS", lines[0]);
        Assert.Equal("a3 OK CAPABILITY completed", lines[^1]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
