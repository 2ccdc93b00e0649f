using System.Net;
using System.Net.Sockets;
using System.Text;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Tests.Client;

/// <summary>The end of a session: LOGOUT's tagged OK closes the connection from our side.</summary>
public sealed class LogoutTests
{
    [Fact]
    public async Task Logout_closes_the_connection_after_the_tagged_ok_without_waiting_for_the_server_to_close()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var options = new UpstreamOptions
        {
            Host = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port, Tls = TlsMode.None,
            User = "user", Password = "secret-pw",
            ReadTimeout = TimeSpan.FromSeconds(10), ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var connecting = ImapClient.ConnectAsync(options);
        using var socket = await listener.AcceptSocketAsync();
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await SendAsync(stream, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready");
        var login = await reader.ReadLineAsync() ?? "";
        await SendAsync(stream, $"{Tag(login)} OK [CAPABILITY IMAP4rev1] logged in");
        await using var client = await connecting.WaitAsync(TimeSpan.FromSeconds(10));

        var logout = client.LogoutAsync();
        var command = await reader.ReadLineAsync() ?? "";
        Assert.EndsWith(" LOGOUT", command, StringComparison.Ordinal);
        // The server answers and then, like a slow or buggy one, keeps the connection open.
        await SendAsync(stream, $"* BYE logging out\r\n{Tag(command)} OK done");
        await logout.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ImapClientState.Closed, client.State);

        // The client, not yet disposed, has closed its side: the server reads the end of the stream, and nothing
        // else (the LOGOUT is not sent a second time).
        var rest = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("", rest);
    }

    private static string Tag(string line) => line.Split(' ', 2)[0];

    private static Task SendAsync(NetworkStream stream, string text) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n")).AsTask();
}
