using System.Diagnostics;
using ImapProxy.TestSupport;
using Xunit.Abstractions;

namespace ImapProxy.Integration.Tests.Serve;

/// <summary>
/// The gaps of serve's background sync against a real Dovecot (hierarchy delimiter <c>.</c>): <c>idle</c> names a
/// folder with <c>/</c>; IDLE connections count within <c>maxconnections</c>; a new local folder is pushed without
/// waiting for a poll. Every test sets <c>poll = 0</c>, so a change can only cross by the mechanism under test.
/// </summary>
public sealed class ServeConnectionTests(ITestOutputHelper output) : IDisposable
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
    public async Task An_idle_folder_below_another_is_watched_under_the_servers_delimiter()
    {
        await using var dovecot = await DovecotTestBed.StartAsync();
        await using var upstream = await UpstreamAsync(dovecot);
        Assert.True((await upstream.CommandAsync("CREATE Lists.dev")).IsOk);
        await Imap.AppendAsync(upstream, "Lists.dev", Imap.Message("first", "first"));

        await using var serve = await ServeProcess.StartAsync(_dir, dovecot.Port, accountLines: "idle = INBOX Lists/dev\npoll = 0");
        await using var client = await serve.LoginAsync();
        Assert.True(await Imap.EventuallyAsync(async () => (await SubjectsIfExistsAsync(client, "Lists/dev")).Contains("first"), Generous),
            "the initial pass did not bring Lists/dev down\n" + serve.Log);

        var clock = Stopwatch.StartNew();
        await Imap.AppendAsync(upstream, "Lists.dev", Imap.Message("second", "second"));
        Assert.True(await Imap.EventuallyAsync(async () => (await SubjectsIfExistsAsync(client, "Lists/dev")).Contains("second"), Generous),
            "with polling off, only IDLE on Lists.dev could bring the new message down\n" + serve.Log);
        output.WriteLine($"upstream APPEND to Lists.dev → local: {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.DoesNotContain("cannot watch", serve.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idle_connections_count_within_maxconnections_and_the_folders_left_over_are_named()
    {
        await using var dovecot = await DovecotTestBed.StartAsync();
        await using var upstream = await UpstreamAsync(dovecot);
        foreach (var folder in new[] { "Archive", "Sent" })
        {
            Assert.True((await upstream.CommandAsync($"CREATE {folder}")).IsOk);
            await Imap.AppendAsync(upstream, folder, Imap.Message($"in-{folder}", $"in {folder}"));
        }
        await using var relay = new OutageRelay(dovecot.Port);
        await using var serve = await ServeProcess.StartAsync(_dir, relay.Port,
            accountLines: "maxconnections = 2\nidle = INBOX Archive Sent\npoll = 0");
        await using var client = await serve.LoginAsync();
        Assert.True(await Imap.EventuallyAsync(async () => (await SubjectsIfExistsAsync(client, "Sent")).Contains("in Sent"), Generous),
            "no initial pass\n" + serve.Log);

        // The passes still get their connection: a local change goes up...
        await Imap.AppendAsync(client, "Archive", Imap.Message("up", "written locally"));
        Assert.True(await Imap.EventuallyAsync(async () => (await SubjectsIfExistsAsync(upstream, "Archive")).Contains("written locally"), Generous),
            "the local APPEND did not reach Dovecot\n" + serve.Log);
        // ...and INBOX, the one folder with room for IDLE, still hears of upstream changes without any poll.
        await Imap.AppendAsync(upstream, "INBOX", Imap.Message("down", "pushed down"));
        Assert.True(await Imap.EventuallyAsync(async () => (await SubjectsIfExistsAsync(client, "INBOX")).Contains("pushed down"), Generous),
            "IDLE on INBOX did not bring the upstream message down\n" + serve.Log);

        Assert.True(relay.PeakConnections <= 2, $"{relay.PeakConnections} upstream connections at once with maxconnections = 2\n{serve.Log}");
        Assert.Contains("leaves room for 1 IDLE connection (one is kept for syncing); not IDLEd", serve.Log, StringComparison.Ordinal);
        Assert.Contains("passes other changes start: Archive, Sent", serve.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_created_locally_or_by_mkdir_reaches_the_upstream_without_a_poll()
    {
        await using var dovecot = await DovecotTestBed.StartAsync();
        await using var upstream = await UpstreamAsync(dovecot);
        await using var serve = await ServeProcess.StartAsync(_dir, dovecot.Port, accountLines: "poll = 0");
        await using var client = await serve.LoginAsync();
        Assert.True(await Imap.EventuallyAsync(() => Task.FromResult(serve.Log.Contains("done in", StringComparison.Ordinal)), Generous),
            "no initial pass\n" + serve.Log);

        // A local IMAP client creates a folder and files a message in it at once.
        var clock = Stopwatch.StartNew();
        Assert.True((await client.CommandAsync("CREATE Projects")).IsOk);
        await Imap.AppendAsync(client, "Projects", Imap.Message("plan", "the plan"));
        Assert.True(await Imap.EventuallyAsync(async () => (await SubjectsIfExistsAsync(upstream, "Projects")).Contains("the plan"), Generous),
            "the folder made by CREATE did not reach Dovecot\n" + serve.Log);
        output.WriteLine($"local CREATE + APPEND → on Dovecot: {clock.Elapsed.TotalMilliseconds:0} ms");

        // Another program makes a Maildir++ folder with a message in it.
        var fresh = Path.Combine(_dir, "mail", "test", ".Fresh");
        var tmp = Path.Combine(fresh, "tmp");
        Directory.CreateDirectory(tmp);
        Directory.CreateDirectory(Path.Combine(fresh, "new"));
        await File.WriteAllTextAsync(Path.Combine(tmp, "1800000000.M1P1.writer"), Imap.Message("dropped", "dropped by a writer"));
        Directory.CreateDirectory(Path.Combine(fresh, "cur"));
        File.Move(Path.Combine(tmp, "1800000000.M1P1.writer"), Path.Combine(fresh, "cur", "1800000000.M1P1.writer:2,S"));
        clock.Restart();
        Assert.True(await Imap.EventuallyAsync(async () => (await SubjectsIfExistsAsync(upstream, "Fresh")).Contains("dropped by a writer"), Generous),
            "the folder made by mkdir did not reach Dovecot\n" + serve.Log);
        output.WriteLine($"mkdir of a Maildir++ folder → on Dovecot: {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    private static async Task<RawImapConnection> UpstreamAsync(DovecotTestBed dovecot)
    {
        var upstream = await dovecot.ConnectAsync();
        Assert.True((await upstream.CommandAsync("LOGIN alice secret")).IsOk);
        return upstream;
    }

    /// <summary>The subjects in <paramref name="folder"/>, or none while it does not exist yet.</summary>
    private static async Task<List<string>> SubjectsIfExistsAsync(RawImapConnection connection, string folder)
    {
        if (!(await connection.CommandAsync($"EXAMINE \"{folder}\"")).IsOk)
            return [];
        return await Imap.SubjectsAsync(connection, $"\"{folder}\"");
    }
}
