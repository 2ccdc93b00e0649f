using System.Net;
using System.Net.Sockets;
using ImapProxy.Cli;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Cli;

/// <summary><c>imapproxy check</c> against a real Dovecot, a wrong password and a closed port.</summary>
public sealed class CheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imapproxy-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Logs_in_to_Dovecot_and_prints_its_capabilities_then_refuses_a_wrong_password()
    {
        await using var dovecot = await DovecotTestBed.StartAsync();
        var user = dovecot.DefaultUser;
        var config = CliRun.WriteConfig(_dir, dovecot.Host, dovecot.Port, user.Name, user.Password);

        var ok = await CliRun.RunAsync(["check", "-c", config]);
        Assert.True(ok.ExitCode == 0, ok.Error);
        Assert.Equal("", ok.Error);
        Assert.Contains($"  upstream: logged in as {user.Name} (no TLS) in ", ok.Out);
        var capabilities = ok.Out.Split('\n').Single(l => l.StartsWith("  capabilities: ", StringComparison.Ordinal));
        var names = capabilities["  capabilities: ".Length..].Trim().Split(' ');
        Assert.Equal("IMAP4REV1", names[0]); // the client keeps capabilities upper-cased
        Assert.Contains("IDLE", names);
        Assert.Contains("QRESYNC", names); // Dovecot 2.3 advertises it after login, not in the greeting

        CliRun.WriteConfig(_dir, dovecot.Host, dovecot.Port, user.Name, "wrong-password");
        var refused = await CliRun.RunAsync(["check", "-c", config]);
        Assert.Equal(ExitCodes.AuthFailed, refused.ExitCode);
        var line = Assert.Single(refused.ErrorLines);
        Assert.StartsWith("imapproxy: [account test] upstream login refused: ", line);
        Assert.DoesNotContain("wrong-password", refused.Out + refused.Error);
    }

    [Fact]
    public async Task A_closed_port_is_one_line_and_exit_code_69()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var config = CliRun.WriteConfig(_dir, "127.0.0.1", port, "alice", "secret");

        var result = await CliRun.RunAsync(["check", "-c", config]);
        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Equal([$"imapproxy: [account test] upstream unreachable: cannot connect to 127.0.0.1:{port}: Connection refused (ConnectionRefused)"],
            result.ErrorLines);
    }
}
