using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ImapProxy.TestSupport;
using Xunit.Abstractions;

namespace ImapProxy.Integration.Tests.Serve;

/// <summary>
/// <c>imapproxy serve</c> with its background sync, as a real process between a real Dovecot and real local IMAP
/// clients. Latencies are printed (the 1 s goal is measured here, not asserted: the limits are generous).
/// </summary>
public sealed class ServeSyncTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("imapproxy-serve-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Upstream_and_local_changes_cross_promptly_and_SIGTERM_says_BYE_and_exits_0()
    {
        await using var dovecot = await DovecotTestBed.StartAsync();
        await using var upstream = await dovecot.ConnectAsync();
        Assert.True((await upstream.CommandAsync("LOGIN alice secret")).IsOk);
        await Imap.AppendAsync(upstream, "INBOX", Imap.Message("first", "first"));

        await using var serve = await ServeProcess.StartAsync(_dir, dovecot.Port);
        await using var client = await serve.LoginAsync();
        Assert.True(await Imap.EventuallyAsync(async () => (await Imap.SubjectsAsync(client, "INBOX")).Contains("first"), Generous),
            "the initial sync did not bring the upstream message down\n" + serve.Log);

        // Upstream → local IDLE client.
        await using var idler = await serve.LoginAsync();
        Assert.True((await idler.CommandAsync("SELECT INBOX")).IsOk);
        await idler.SendLineAsync("I1 IDLE");
        Assert.StartsWith("+", await idler.ReadResponseLineAsync());
        var clock = Stopwatch.StartNew();
        await Imap.AppendAsync(upstream, "INBOX", Imap.Message("pushed", "pushed down"));
        idler.ReadTimeout = Generous;
        // A background pass may touch message 1 meanwhile (an untagged FETCH of its flags is news an IDLE client may
        // get at any time): what matters is the EXISTS for the pushed message.
        var before = new List<string>();
        string exists;
        while (!(exists = await idler.ReadResponseLineAsync()).EndsWith(" EXISTS", StringComparison.Ordinal) && exists.Contains(" FETCH ", StringComparison.Ordinal))
            before.Add(exists);
        var down = clock.Elapsed;
        Assert.True(exists == "* 2 EXISTS", $"IDLE got \"{exists}\" after: {string.Join(" | ", before)}");
        output.WriteLine($"upstream APPEND → local IDLE client EXISTS: {down.TotalMilliseconds:0} ms");

        // Local STORE and APPEND → upstream.
        Assert.True((await client.CommandAsync("SELECT INBOX")).IsOk);
        clock.Restart();
        Assert.True((await client.CommandAsync("STORE 1 +FLAGS (\\Flagged)")).IsOk);
        Assert.True(await Imap.EventuallyAsync(async () => (await Imap.FlagsOfAsync(upstream, "INBOX", "first"))?.Contains("\\Flagged") == true, Generous),
            "the local STORE did not reach Dovecot\n" + serve.Log);
        output.WriteLine($"local STORE → visible on Dovecot: {clock.Elapsed.TotalMilliseconds:0} ms");
        clock.Restart();
        await Imap.AppendAsync(client, "INBOX", Imap.Message("local", "written locally"));
        Assert.True(await Imap.EventuallyAsync(async () => (await Imap.SubjectsAsync(upstream, "INBOX")).Contains("written locally"), Generous),
            "the local APPEND did not reach Dovecot\n" + serve.Log);
        output.WriteLine($"local APPEND → visible on Dovecot: {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(["first", "pushed down", "written locally"], await Imap.SubjectsAsync(upstream, "INBOX"));

        // SIGTERM: the IDLE client is told BYE, the process exits 0.
        var exit = await serve.TerminateAsync(Generous);
        var lines = new List<string>();
        try
        {
            while (true)
                lines.Add(await idler.ReadResponseLineAsync());
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or TimeoutException or InvalidOperationException)
        {
            // Connection closed after the BYE.
        }
        Assert.Contains(lines, l => l.StartsWith("* BYE", StringComparison.Ordinal));
        Assert.True(exit == 0, $"exit {exit}\n{serve.Log}");
    }

    [Fact]
    public async Task With_the_upstream_down_the_mirror_is_served_and_changes_are_pushed_when_it_returns()
    {
        await using var dovecot = await DovecotTestBed.StartAsync();
        await using var relay = new OutageRelay(dovecot.Port);
        await using var serve = await ServeProcess.StartAsync(_dir, relay.Port);
        await using var client = await serve.LoginAsync();
        Assert.True(await Imap.EventuallyAsync(() => Task.FromResult(serve.Log.Contains("done in", StringComparison.Ordinal)), Generous),
            "no initial pass\n" + serve.Log);

        relay.GoDown();
        await Imap.AppendAsync(client, "INBOX", Imap.Message("offline", "written while upstream was down"));
        Assert.Equal(["written while upstream was down"], await Imap.SubjectsAsync(client, "INBOX"));
        Assert.True(await Imap.EventuallyAsync(() => Task.FromResult(serve.Log.Contains("serving the local mirror", StringComparison.Ordinal)), Generous),
            "the outage was not noticed\n" + serve.Log);
        await using var upstream = await dovecot.ConnectAsync();
        Assert.True((await upstream.CommandAsync("LOGIN alice secret")).IsOk);
        Assert.Empty(await Imap.SubjectsAsync(upstream, "INBOX"));

        relay.ComeBack();
        var clock = Stopwatch.StartNew();
        Assert.True(await Imap.EventuallyAsync(async () => (await Imap.SubjectsAsync(upstream, "INBOX")).Contains("written while upstream was down"),
            TimeSpan.FromSeconds(45)), "the change made offline was not pushed after the upstream came back\n" + serve.Log);
        output.WriteLine($"upstream back → offline change pushed: {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(await Imap.EventuallyAsync(() => Task.FromResult(serve.Log.Contains("upstream reachable again", StringComparison.Ordinal)), Generous));
        // Logged once per state change, not once per retry.
        Assert.Single(serve.Log.Split('\n'), l => l.Contains("upstream reachable again", StringComparison.Ordinal));
        Assert.True(serve.Log.Split('\n').Count(l => l.Contains("serving the local mirror", StringComparison.Ordinal)) <= 2, serve.Log);
    }

    [Fact]
    public async Task Offline_serve_never_connects_upstream()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            await using var serve = await ServeProcess.StartAsync(_dir, port, "--offline");
            await using var client = await serve.LoginAsync();
            await Imap.AppendAsync(client, "INBOX", Imap.Message("plane", "read on a plane"));
            Assert.Equal(["read on a plane"], await Imap.SubjectsAsync(client, "INBOX"));
            await Task.Delay(1500);
            Assert.False(listener.Pending(), "serve --offline connected to the upstream");
            Assert.Equal(0, await serve.TerminateAsync(Generous));
            Assert.False(listener.Pending(), "serve --offline connected to the upstream");
        }
        finally
        {
            listener.Stop();
        }
    }
}
