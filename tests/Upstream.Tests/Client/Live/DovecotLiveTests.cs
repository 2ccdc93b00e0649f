using System.Text;
using ImapProxy.TestSupport;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Tests.Client.Live;

/// <summary>The client against a real Dovecot on loopback, with all capabilities and with the extensions hidden.</summary>
public sealed class DovecotLiveTests
{
    private static UpstreamOptions OptionsFor(DovecotTestBed bed) => new()
    {
        Host = bed.Host, Port = bed.Port, Tls = TlsMode.None, User = bed.DefaultUser.Name, Password = bed.DefaultUser.Password,
        ReadTimeout = TimeSpan.FromSeconds(30),
    };

    private static byte[] Message(int i) => Encoding.ASCII.GetBytes(
        $"From: a@example.com\r\nTo: b@example.com\r\nSubject: message {i}\r\nMessage-ID: <m{i}@example.com>\r\n\r\nBody {i}\r\n");

    private static async Task<DovecotTestBed> StartAsync(params string[] hidden)
        => await DovecotTestBed.StartAsync(new DovecotOptions { HiddenCapabilities = hidden }, async bed =>
        {
            var maildir = bed.Maildir();
            for (var i = 1; i <= 5; i++) await maildir.AddAsync("INBOX", Message(i), i <= 2 ? "S" : "");
            maildir.EnsureFolder("Archive");
        });

    [Fact]
    public async Task Every_command_with_all_extensions()
    {
        await using var bed = await StartAsync();
        var trace = new List<string>();
        await using var client = await ImapClient.ConnectAsync(OptionsFor(bed), new DelegateProtocolTrace((d, l) => { lock (trace) trace.Add($"{d} {l}"); }));
        Assert.Equal(ImapClientState.Authenticated, client.State);
        Assert.Contains("QRESYNC", client.Enabled);
        Assert.DoesNotContain(trace, l => l.Contains(bed.DefaultUser.Password));

        var id = await client.IdAsync(new Dictionary<string, string> { ["name"] = "imapproxy" });
        Assert.Equal("Dovecot", id["name"]);
        var ns = await client.NamespaceAsync();
        Assert.Equal('.', ns.Personal[0].Delimiter);

        await client.CreateAsync("Work");
        await client.CreateAsync("Wörk & Play");
        await client.RenameAsync("Work", "Job");
        await client.SubscribeAsync("Job");
        var list = await client.ListAsync(new ListRequest(StatusItems: ["MESSAGES", "UIDNEXT", "UIDVALIDITY", "HIGHESTMODSEQ"]));
        Assert.Contains(list, e => e.Name == "Wörk & Play");
        var inboxEntry = list.Single(e => e.Name == "INBOX");
        Assert.Equal(5u, inboxEntry.Status!.Messages);
        Assert.True(list.Single(e => e.Name == "Job").Attributes.Contains("\\SUBSCRIBED"));
        await client.DeleteAsync("Wörk & Play");

        var status = await client.StatusAsync("INBOX", ["MESSAGES", "UIDNEXT", "UNSEEN", "HIGHESTMODSEQ"]);
        Assert.Equal(5u, status.Messages);
        Assert.Equal(3u, status.Unseen);
        Assert.Equal(6u, status.UidNext);

        var inbox = await client.SelectAsync("INBOX");
        Assert.Equal(5u, inbox.Exists);
        Assert.True(inbox.HighestModSeq > 0);
        var modseq = inbox.HighestModSeq;

        // Several commands in flight at once.
        var fetchFlags = client.UidFetchAsync(UidSet.Range(1, 2), new FetchRequest(ModSeq: true, Size: true, InternalDate: true));
        var fetchBody = client.UidFetchAsync(UidSet.Range(3, 5), new FetchRequest(BodySection: ""));
        var search = client.UidSearchAsync("UNSEEN");
        await Task.WhenAll(fetchFlags, fetchBody, search);
        Assert.All((await fetchFlags).Messages, m => Assert.Contains("\\Seen", m.Flags!));
        Assert.Equal(Message(4), (await fetchBody).Messages.Single(m => m.Uid == 4).Body!.Value.ToArray());
        Assert.Equal("3:5", (await search).Uids.ToString());

        var store = await client.UidStoreAsync(UidSet.Range(3, 3), StoreAction.Add, ["\\Flagged"], unchangedSince: modseq);
        Assert.True(store.Modified.IsEmpty);
        var stale = await client.UidStoreAsync(UidSet.Range(3, 3), StoreAction.Add, ["\\Answered"], unchangedSince: modseq);
        Assert.Equal("3", stale.Modified.ToString());
        var changed = await client.UidFetchAsync(UidSet.From(1), new FetchRequest(ChangedSince: modseq, Vanished: true));
        Assert.Equal([3u], changed.Messages.Select(m => m.Uid));

        var appended = await client.AppendAsync("Archive", [
            new AppendMessage(new MemoryStream(Message(10)), Message(10).Length, ["\\Seen"], DateTimeOffset.Parse("2024-03-01T10:00:00+01:00")),
            new AppendMessage(new MemoryStream(Message(11)), Message(11).Length)]);
        Assert.Equal(2, appended.DestinationUids.Count);

        var copied = await client.UidCopyAsync(UidSet.Range(1, 1), "Archive");
        Assert.Equal([1u], copied.SourceUids);
        var moved = await client.UidMoveAsync(UidSet.Range(2, 2), "Archive");
        Assert.Equal([2u], moved.SourceUids);
        await client.UidStoreAsync(UidSet.Range(5, 5), StoreAction.Add, ["\\Deleted"]);
        await client.UidExpungeAsync(UidSet.Range(5, 5));
        var left = await client.UidSearchAsync("ALL");
        Assert.Equal("1,3:4", left.Uids.ToString());

        // QRESYNC select reports what vanished since modseq.
        await client.UnselectAsync();
        var resynced = await client.SelectAsync("INBOX", new QResyncState(inbox.UidValidity, modseq));
        Assert.Equal("2,5", resynced.VanishedEarlier.ToString());

        // IDLE sees a message appended by another connection.
        var waiting = client.WaitForChangesAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(300);
        await using (var other = await ImapClient.ConnectAsync(OptionsFor(bed)))
            await other.AppendAsync("INBOX", [new AppendMessage(new MemoryStream(Message(20)), Message(20).Length)]);
        Assert.True(await waiting);
        Assert.Contains(trace, l => l.EndsWith(" IDLE", StringComparison.Ordinal));

        await client.LogoutAsync();
        Assert.Equal(ImapClientState.Closed, client.State);
    }

    [Fact]
    public async Task Fallbacks_without_condstore_qresync_uidplus_move_literalplus_idle()
    {
        await using var bed = await StartAsync("CONDSTORE", "QRESYNC", "UIDPLUS", "MOVE", "LITERAL+", "IDLE", "ESEARCH", "ENABLE", "LIST-EXTENDED", "LIST-STATUS", "MULTIAPPEND");
        var trace = new List<string>();
        await using var client = await ImapClient.ConnectAsync(OptionsFor(bed) with { PollInterval = TimeSpan.FromMilliseconds(300) },
            new DelegateProtocolTrace((d, l) => { lock (trace) trace.Add($"{d} {l}"); }));
        Assert.False(client.Has("UIDPLUS"));
        Assert.DoesNotContain("CONDSTORE", client.Enabled);

        var inbox = await client.SelectAsync("INBOX");
        Assert.Equal(0ul, inbox.HighestModSeq);

        // Synchronizing literals: APPEND waits for "+"; two messages without MULTIAPPEND become two APPENDs.
        var appended = await client.AppendAsync("Archive", [
            new AppendMessage(new MemoryStream(Message(10)), Message(10).Length),
            new AppendMessage(new MemoryStream(Message(11)), Message(11).Length)]);
        // Dovecot only hides the advertisement: it still answers APPENDUID, which the client reads when present.
        Assert.Equal(2, appended.DestinationUids.Count);
        Assert.Contains(trace, l => l.StartsWith("Server +", StringComparison.Ordinal));

        // The user marked message 1 \Deleted in another client; our expunge of 3 must not take it.
        await client.UidStoreAsync(UidSet.Range(1, 1), StoreAction.Add, ["\\Deleted"]);
        await client.UidStoreAsync(UidSet.Range(3, 3), StoreAction.Add, ["\\Deleted"]);
        await client.UidExpungeAsync(UidSet.Range(3, 3));
        var all = await client.UidSearchAsync("ALL");
        Assert.Equal("1:2,4:5", all.Uids.ToString());
        var deleted = await client.UidSearchAsync("DELETED");
        Assert.Equal("1", deleted.Uids.ToString());

        // MOVE falls back to COPY + \Deleted + the safe expunge.
        await client.UidMoveAsync(UidSet.Range(4, 4), "Archive");
        Assert.Equal("1:2,5", (await client.UidSearchAsync("ALL")).Uids.ToString());
        Assert.Equal("1", (await client.UidSearchAsync("DELETED")).Uids.ToString());
        Assert.DoesNotContain(trace, l => l.Contains("UID MOVE") || l.Contains("UID EXPUNGE"));

        var list = await client.ListAsync(new ListRequest(SubscribedOnly: true));
        Assert.Empty(list);

        // Without IDLE, NOOP polling notices a new message.
        var waiting = client.WaitForChangesAsync(TimeSpan.FromSeconds(20));
        await using (var other = await ImapClient.ConnectAsync(OptionsFor(bed)))
            await other.AppendAsync("INBOX", [new AppendMessage(new MemoryStream(Message(20)), Message(20).Length)]);
        Assert.True(await waiting);
        Assert.Contains(trace, l => l.EndsWith(" NOOP", StringComparison.Ordinal));
        Assert.DoesNotContain(trace, l => l.EndsWith(" IDLE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watcher_reconnects_and_idles_again_after_the_server_kills_the_connection()
    {
        await using var bed = await StartAsync();
        var connector = new ImapConnector(OptionsFor(bed), new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(50) });
        var watcher = new MailboxWatcher(connector, "INBOX");
        var syncs = 0;
        var secondConnection = new TaskCompletionSource();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = watcher.RunAsync(async (client, info, ct) =>
        {
            Interlocked.Increment(ref syncs);
            if (watcher.Connections == 1 && syncs == 1)
            {
                // Kick every session of the user: the watcher must come back on its own.
                await bed.DoveadmAsync("kick", bed.DefaultUser.Name);
            }
            if (watcher.Connections >= 2) secondConnection.TrySetResult();
        }, stop.Token);
        await secondConnection.Task.WaitAsync(TimeSpan.FromSeconds(45));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(watcher.Connections >= 2);
        Assert.IsAssignableFrom<ImapProtocolException>(watcher.LastError);
    }
}
