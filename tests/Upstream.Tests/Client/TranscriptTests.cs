using System.Text;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Tests.Client;

/// <summary>Recorded server conversations, per kind of server, replayed against the client.</summary>
public sealed class TranscriptTests
{
    [Fact]
    public async Task Dovecot_login_qresync_select_changedsince_store_search()
    {
        await using var server = ScriptedServer.FromFile("dovecot/login-sync.txt");
        var trace = new List<string>();
        await using var client = await ImapClient.ConnectAsync(server.Options(), new DelegateProtocolTrace((d, l) => trace.Add($"{d}: {l}")));
        Assert.Contains("QRESYNC", client.Enabled);
        Assert.Contains("CONDSTORE", client.Enabled);

        var inbox = await client.SelectAsync("INBOX", new QResyncState(1700000000, 100, UidSet.Range(1, 20)));
        Assert.Equal(18u, inbox.Exists);
        Assert.Equal(21u, inbox.UidNext);
        Assert.Equal(1700000000u, inbox.UidValidity);
        Assert.Equal(130ul, inbox.HighestModSeq);
        Assert.Equal("3,7", inbox.VanishedEarlier.ToString());
        var changed = Assert.Single(inbox.ChangedSince);
        Assert.Equal(6u, changed.Uid);
        Assert.Equal(["\\Seen", "\\Flagged"], changed.Flags);
        Assert.Contains("\\*", inbox.PermanentFlags!);

        var fetched = await client.UidFetchAsync(UidSet.From(1), new FetchRequest(ChangedSince: 125, Vanished: true));
        Assert.Equal([10u, 13u], fetched.Messages.Select(m => m.Uid));
        Assert.Equal([129ul, 130ul], fetched.Messages.Select(m => m.ModSeq!.Value));
        Assert.Empty(fetched.Messages[1].Flags!);
        Assert.Equal("7", fetched.Vanished.ToString());

        var store = await client.UidStoreAsync(new UidSet([10, 13]), StoreAction.Add, ["\\Seen"], unchangedSince: 129);
        Assert.Equal("10", store.Modified.ToString());
        Assert.Equal(131ul, Assert.Single(store.Updated).ModSeq);

        var search = await client.UidSearchAsync("UNSEEN");
        Assert.Equal("2:4,19", search.Uids.ToString());
        Assert.Equal(4u, search.Count);

        await client.LogoutAsync();
        await server.CompletedAsync();
        Assert.Equal(ImapClientState.Closed, client.State);
        // The password never reaches the trace, not even base64-encoded.
        Assert.DoesNotContain(trace, l => l.Contains("secret-pw") || l.Contains("AHVzZXIAc2VjcmV0LXB3"));
        Assert.Contains(trace, l => l.StartsWith("Client: A1 AUTHENTICATE PLAIN ***", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dovecot_bodies_stream_to_the_sink_and_unsolicited_fetch_becomes_an_event()
    {
        await using var server = ScriptedServer.FromFile("dovecot/fetch-bodies.txt");
        await using var client = await ImapClient.ConnectAsync(server.Options());
        var events = new List<ImapEvent>();
        client.Event += events.Add;
        var sink = new MemorySink();
        var result = await client.UidFetchAsync(UidSet.Range(1, 3), new FetchRequest(Size: true, BodySection: ""), sink);
        Assert.Empty(result.Messages);
        Assert.Equal([1u, 2u, 3u], sink.Completed.Select(m => m.Uid));
        Assert.Equal("Hello, world!", sink.Bodies[1]);
        Assert.Equal("", sink.Bodies[2]);
        Assert.Equal("Subject: x\r\n\r\nbody\r\n", sink.Bodies[3]);
        Assert.Equal([13L, 0L, 20L], sink.Completed.Select(m => m.StreamedBodyLength));
        // UID 3 came after its body: the sink saw 0 at open time and the real UID at completion.
        Assert.Equal([1u, 2u, 0u], sink.OpenedUids);
        var flagChange = Assert.Single(events.OfType<FetchEvent>());
        Assert.Equal(["\\Deleted"], flagChange.Message.Flags);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Interleaved_pipelined_fetches_stream_each_body_to_its_own_sink()
    {
        await using var server = ScriptedServer.FromFile("dovecot/fetch-pipelined-interleaved.txt");
        await using var client = await ImapClient.ConnectAsync(server.Options());
        var first = new MemorySink();
        var second = new MemorySink();
        var request = new FetchRequest(Flags: false, BodySection: "");
        var a = client.UidFetchAsync(UidSet.Range(1, 2), request, first);
        var b = client.UidFetchAsync(UidSet.Range(3, 4), request, second);
        await Task.WhenAll(a, b);
        Assert.Equal([1u, 2u], first.Completed.Select(m => m.Uid));
        Assert.Equal([3u, 4u], second.Completed.Select(m => m.Uid));
        Assert.Equal("one-1", first.Bodies[1]);
        Assert.Equal("two-2", first.Bodies[2]);
        Assert.Equal("three-3", second.Bodies[3]);
        Assert.Equal("four-4", second.Bodies[4]);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Append_waits_for_continuation_reads_appenduid_and_stops_on_no()
    {
        await using var server = ScriptedServer.FromFile("dovecot/append-literal.txt");
        await using var client = await ImapClient.ConnectAsync(server.Options(o => o with { Mechanisms = ["PLAIN"] }));
        var appended = await client.AppendAsync("Sent", [new AppendMessage(new MemoryStream("hello"u8.ToArray()), 5, ["\\Seen"])]);
        Assert.Equal(38505u, appended.UidValidity);
        Assert.Equal([3955u], appended.DestinationUids);
        var refused = await Assert.ThrowsAsync<ImapCommandException>(() =>
            client.AppendAsync("Archive", [new AppendMessage(new MemoryStream("abcd"u8.ToArray()), 4)]));
        Assert.Equal("TRYCREATE", refused.ResponseCode);
        // The connection is still fine after a NO.
        Assert.NotEqual(ImapClientState.Closed, client.State);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Gmail_xlist_maps_special_use_and_localized_inbox()
    {
        await using var server = ScriptedServer.FromFile("gmail/xlist.txt");
        await using var client = await ImapClient.ConnectAsync(server.Options(o => o with { Compress = false }));
        var list = await client.ListAsync();
        Assert.Equal("INBOX", list[0].Name);
        Assert.Equal("\\All", list.Single(e => e.Name == "[Gmail]/All Mail").SpecialUse);
        Assert.Equal("\\Junk", list.Single(e => e.Name == "[Gmail]/Spam").SpecialUse);
        Assert.Equal("\\Flagged", list.Single(e => e.Name == "[Gmail]/Starred").SpecialUse);
        Assert.Equal("\\Sent", list.Single(e => e.Name == "[Gmail]/Sent Mail").SpecialUse);
        Assert.False(list.Single(e => e.Name == "[Gmail]").IsSelectable);
        Assert.Equal('/', list[0].Delimiter);
        var umlaut = list.Single(e => e.RawName == "&AMQ-rger");
        Assert.Equal("Ärger", umlaut.Name);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Yahoo_empty_challenge_shrunk_capabilities_and_inbox_case()
    {
        await using var server = ScriptedServer.FromFile("yahoo/inbox-case.txt");
        await using var client = await ImapClient.ConnectAsync(server.Options());
        Assert.False(client.Has("AUTH=PLAIN"));
        Assert.True(client.Has("UIDPLUS"));
        var ns = await client.NamespaceAsync();
        Assert.Equal(new NamespaceEntry("", '/'), Assert.Single(ns.Personal));
        Assert.Empty(ns.Shared);
        var list = await client.ListAsync();
        Assert.Equal(["INBOX", "Bulk Mail"], list.Select(e => e.Name));
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Winmail_missing_uidnext_is_asked_with_status()
    {
        await using var server = ScriptedServer.FromFile("winmail/no-uidnext.txt");
        await using var client = await ImapClient.ConnectAsync(server.Options());
        var inbox = await client.SelectAsync("INBOX");
        Assert.Equal(4u, inbox.UidNext);
        Assert.Equal(1697802109u, inbox.UidValidity);
        Assert.False(inbox.ReadOnly);
        await server.CompletedAsync();
    }

    internal sealed class MemorySink : IFetchBodySink
    {
        public List<FetchedMessage> Completed { get; } = [];
        public Dictionary<uint, string> Bodies { get; } = [];
        public List<uint> OpenedUids { get; } = [];

        public ValueTask<Stream> OpenAsync(uint sequenceNumber, uint uid, long length, CancellationToken cancellationToken)
        {
            OpenedUids.Add(uid);
            return ValueTask.FromResult<Stream>(new MemoryStream());
        }

        public ValueTask CompleteAsync(FetchedMessage message, Stream? body, CancellationToken cancellationToken)
        {
            Completed.Add(message);
            Bodies[message.Uid] = body is MemoryStream ms ? Encoding.UTF8.GetString(ms.ToArray()) : "<none>";
            return ValueTask.CompletedTask;
        }
    }
}
