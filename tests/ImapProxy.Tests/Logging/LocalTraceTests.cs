using System.Net;
using ImapProxy.Configuration;
using ImapProxy.Logging;
using ImapProxy.Server;
using ImapProxy.Tests.Server;
using ImapProxy.TestSupport;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Tests.Logging;

/// <summary>--trace imap on the local server: the real server, a real TCP client, the trace read from the log.</summary>
public sealed class LocalTraceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_local_server_traces_to_the_log_with_passwords_left_out_only_when_asked(bool trace)
    {
        await using var account = await TestAccount.CreateAsync();
        await account.AppendAsync("INBOX", "Subject: private matter\n\nbody text\n");
        var logs = new CapturingLoggerProvider();
        // The trace shows even when the log level would hide everything else.
        using var factory = LoggerFactory.Create(b =>
        {
            b.AddProvider(logs);
            ProxyLogging.Configure(b, LogLevel.Error, trace ? TraceTargets.Imap : TraceTargets.None);
        });
        var options = new ServerOptions { TraceImap = trace, FailedLoginDelay = TimeSpan.Zero };
        options.Listen.Add(new IPEndPoint(IPAddress.Loopback, 0));
        await using (var server = await ImapServerHost.StartAsync(options, account.Resolver, factory))
        {
            await using var client = await RawImapConnection.ConnectAsync("127.0.0.1", server.Endpoints[0].Port);
            Assert.True((await client.CommandAsync($"LOGIN {TestAccount.User} {TestAccount.Password}")).IsOk);
            Assert.True((await client.CommandAsync("SELECT INBOX")).IsOk);
            Assert.True((await client.CommandAsync("FETCH 1 (BODY.PEEK[])")).IsOk);
            await client.CommandAsync("LOGOUT");
        }

        var lines = logs.Messages(ProxyLogging.LocalTraceCategory).ToList();
        if (!trace)
        {
            Assert.Empty(lines);
            return;
        }
        Assert.Contains(lines, l => l.Contains("S: * OK [CAPABILITY "));
        Assert.Contains(lines, l => l.Contains("C: ") && l.EndsWith(" LOGIN ***", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("C: ") && l.EndsWith("SELECT INBOX"));
        Assert.Contains(lines, l => l.Contains("S: * 1 FETCH (") && l.Contains(" bytes})"));
        Assert.All(lines, l => Assert.StartsWith("[127.0.0.1:", l));
        Assert.DoesNotContain(lines, l => l.Contains(TestAccount.Password) || l.Contains("private matter") || l.Contains("body text"));
    }
}
