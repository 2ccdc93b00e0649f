using ImapProxy.Configuration;
using ImapProxy.Logging;
using ImapProxy.Tests.Logging;
using ImapProxy.TestSupport;
using ImapProxy.Upstream.Client;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Integration.Tests.Product;

/// <summary>--trace imap upstream: the client's trace reaches the log through ProxyLogging, with secrets left out.</summary>
public sealed class UpstreamTraceTests
{
    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task The_upstream_trace_is_logged_without_the_password(string mechanism)
    {
        const string password = "pw-Zq81-secret";
        await using var bed = await DovecotTestBed.StartAsync(new DovecotOptions { Users = [new("carol", password)] });
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b =>
        {
            b.AddProvider(logs);
            ProxyLogging.Configure(b, LogLevel.Warning, TraceTargets.Imap);
        });
        var options = new UpstreamOptions
        {
            Host = bed.Host, Port = bed.Port, Tls = TlsMode.None, User = "carol", Password = password, Mechanisms = [mechanism],
        };
        await using (var client = await ImapClient.ConnectAsync(options, ProxyLogging.UpstreamTrace(factory, TraceTargets.Imap, "work")))
        {
            await client.SelectAsync("INBOX");
        }

        var lines = logs.Messages(ProxyLogging.UpstreamTraceCategory).ToList();
        Assert.Contains(lines, l => l.StartsWith("[work] S: * OK", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("[work] C: ", StringComparison.Ordinal) && l.Contains(" SELECT INBOX"));
        var login = Assert.Single(lines, l => l.Contains(mechanism == "PLAIN" ? "AUTHENTICATE" : " LOGIN "));
        Assert.Contains("***", login);
        var plainPayload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"\0carol\0{password}"));
        Assert.DoesNotContain(lines, l => l.Contains(password) || l.Contains(plainPayload));
    }

    [Fact]
    public void Without_trace_there_is_no_upstream_trace()
    {
        using var factory = LoggerFactory.Create(_ => { });
        Assert.Null(ProxyLogging.UpstreamTrace(factory, TraceTargets.None, "work"));
    }
}
