using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Tests.Sync.Live;

/// <summary>
/// <c>ImapMailSide</c> against a real Dovecot: every method with all capabilities, with CONDSTORE, QRESYNC, UIDPLUS,
/// MOVE and LIST-STATUS hidden, a non-ASCII folder below a parent, and a connection cut in the middle of an operation.
/// </summary>
public sealed class ImapMailSideTests
{
    private static readonly DateTimeOffset Date = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private const string Folder = "Wörk/Sub";

    private static async Task<uint?> AppendAsync(IMailSide side, string folder, string name, string flags = "", int bodyLines = 3)
    {
        var content = TestMessages.Make(name, bodyLines: bodyLines);
        return await side.AppendAsync(folder, new MemoryStream(content), content.Length, TestMessages.Flags(flags), Date, default);
    }

    private static async Task<byte[]> ReadAsync(Stream stream)
    {
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    [Fact]
    public async Task Every_method_with_all_capabilities()
    {
        await using var live = await LiveUpstream.StartAsync(maxConnections: 2);
        var side = live.Side;
        const SideCapabilities expected = SideCapabilities.ModSeq | SideCapabilities.ConditionalStore | SideCapabilities.Move | SideCapabilities.AppendUid;
        Assert.Equal(expected, side.Capabilities & ~SideCapabilities.ContentKeys);
        Assert.Equal('.', side.Delimiter);

        // Folders: a non-ASCII name below a parent, sent as modified UTF-7 with the server's delimiter.
        var created = await side.CreateFolderAsync(Folder, default);
        Assert.True(created.UidValidity > 0);
        Assert.Equal(created, await side.CreateFolderAsync(Folder, default));
        Assert.Contains(live.Sent, l => l.Contains("CREATE W&APY-rk.Sub", StringComparison.Ordinal));
        var sentBefore = live.Sent.Count;
        var folders = await side.ListFoldersAsync(default);
        var listCommands = live.Sent.Skip(sentBefore).ToList();
        Assert.Contains(folders, f => f.Name == Folder && f.UidValidity == created.UidValidity);
        Assert.DoesNotContain(folders, f => f.Name == "Wörk"); // \Noselect parent
        // LIST-STATUS: one command, one round trip, for every folder's status.
        var list = Assert.Single(listCommands);
        Assert.Contains("LIST", list);
        Assert.Contains("STATUS (MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ)", list);

        // Append with UIDPLUS gives the UIDs; listing, identities, bodies.
        Assert.Equal(1u, await AppendAsync(side, "INBOX", "m1", "S"));
        Assert.Equal(2u, await AppendAsync(side, "INBOX", "m2"));
        Assert.Equal(3u, await AppendAsync(side, "INBOX", "m3", "Fk"));
        var big = await AppendAsync(side, Folder, "big", bodyLines: 80_000); // ~2 MiB: goes through a temp file
        var listing = await side.ListMessagesAsync("INBOX", 0, default);
        Assert.False(listing.IsDelta);
        Assert.Equal([1u, 2u, 3u], listing.Messages.Select(m => m.Uid));
        Assert.Equal(["S", "", "Fk"], listing.Messages.Select(m => TestMessages.Short(m.Flags)));
        Assert.All(listing.Messages, m => Assert.True(m.ModSeq > 0));
        Assert.Equal(4u, listing.UidNext);
        Assert.True(listing.HighestModSeq > 0);

        var identities = await side.FetchIdentitiesAsync("INBOX", [3, 1, 2, 99], default);
        Assert.Equal([1u, 2u, 3u], identities.Select(i => i.Uid).Order());
        Assert.Equal(TestMessages.MessageId("m2"), identities.Single(i => i.Uid == 2).MessageId);
        Assert.Equal(TestMessages.Make("m2").Length, identities.Single(i => i.Uid == 2).Size);
        Assert.Equal(Date, identities.Single(i => i.Uid == 2).InternalDate);
        Assert.Equal(TestMessages.Make("m2"), await ReadAsync((await side.OpenMessageAsync("INBOX", 2, default))!));
        Assert.Null(await side.OpenMessageAsync("INBOX", 99, default));
        Assert.Equal(TestMessages.Make("big", bodyLines: 80_000), await ReadAsync((await side.OpenMessageAsync(Folder, big!.Value, default))!));

        var size = TestMessages.Make("m2").Length;
        Assert.Equal([2u], await side.FindMessagesAsync("INBOX", TestMessages.MessageId("m2"), size, 1, default));
        Assert.Empty(await side.FindMessagesAsync("INBOX", TestMessages.MessageId("m2"), size, 3, default));
        Assert.Empty(await side.FindMessagesAsync("INBOX", TestMessages.MessageId("m2"), size + 1, 1, default));

        // Conditional store: refused once the message moved past the modseq; a missing UID is reported.
        var m1 = listing.Messages.Single(m => m.Uid == 1);
        Assert.True(await side.StoreFlagsAsync("INBOX", 1, TestMessages.Flags("F"), TestMessages.Flags("S"), m1.ModSeq, default));
        Assert.False(await side.StoreFlagsAsync("INBOX", 1, TestMessages.Flags("A"), FlagSet.Empty, m1.ModSeq, default));
        Assert.False(await side.StoreFlagsAsync("INBOX", 99, TestMessages.Flags("A"), FlagSet.Empty, 0, default));
        Assert.Contains(live.Sent, l => l.Contains("UNCHANGEDSINCE", StringComparison.Ordinal));

        // The user marks m2 \Deleted; we expunge m3 only: UID EXPUNGE leaves m2 alone.
        Assert.True(await side.StoreFlagsAsync("INBOX", 2, TestMessages.Flags("D"), FlagSet.Empty, 0, default));
        await side.ExpungeAsync("INBOX", [3], default);
        Assert.Contains(live.Sent, l => l.Contains("UID EXPUNGE 3", StringComparison.Ordinal));

        // A QRESYNC delta: the changed messages and what vanished.
        var delta = await side.ListMessagesAsync("INBOX", listing.HighestModSeq, default);
        Assert.True(delta.IsDelta);
        Assert.Equal(["F", "D"], delta.Messages.OrderBy(m => m.Uid).Select(m => TestMessages.Short(m.Flags)));
        Assert.Equal([3u], delta.Vanished);

        // UID MOVE with the COPYUID map.
        var map = await side.MoveAsync("INBOX", [1], Folder, default);
        Assert.NotNull(map);
        var target = await side.ListMessagesAsync(Folder, 0, default);
        Assert.Contains(target.Messages, m => m.Uid == map![1] && TestMessages.Short(m.Flags) == "F");
        Assert.Contains(live.Sent, l => l.Contains("UID MOVE 1 W&APY-rk.Sub", StringComparison.Ordinal));
        Assert.Equal([2u], (await side.ListMessagesAsync("INBOX", 0, default)).Messages.Select(m => m.Uid));

        // Rename keeps UIDVALIDITY; delete is idempotent.
        await side.RenameFolderAsync(Folder, "Wörk/Other", default);
        var renamed = (await side.ListFoldersAsync(default)).Single(f => f.Name == "Wörk/Other");
        Assert.Equal(created.UidValidity, renamed.UidValidity);
        Assert.Equal(2, renamed.MessageCount);
        await side.DeleteFolderAsync("Wörk/Other", default);
        await side.DeleteFolderAsync("Wörk/Other", default);
        Assert.DoesNotContain(await side.ListFoldersAsync(default), f => f.Name.StartsWith("Wörk", StringComparison.Ordinal));
        Assert.True(side.ConnectionsOpened <= 2, $"{side.ConnectionsOpened} connections");
    }

    [Fact]
    public async Task Fallbacks_without_condstore_qresync_uidplus_move_list_status()
    {
        await using var live = await LiveUpstream.StartAsync(2, "CONDSTORE", "QRESYNC", "UIDPLUS", "MOVE", "LIST-STATUS");
        var side = live.Side;
        Assert.Equal(SideCapabilities.None, side.Capabilities);

        // No APPENDUID trusted: the engine searches for the copy.
        Assert.Null(await AppendAsync(side, "INBOX", "m1", "S"));
        Assert.Null(await AppendAsync(side, "INBOX", "m2"));
        Assert.Null(await AppendAsync(side, "INBOX", "m3"));
        Assert.Equal([2u], await side.FindMessagesAsync("INBOX", TestMessages.MessageId("m2"), TestMessages.Make("m2").Length, 1, default));

        var folders = await side.ListFoldersAsync(default);
        var inbox = folders.Single(f => f.Name == "INBOX");
        Assert.Equal((0ul, 3), (inbox.HighestModSeq, inbox.MessageCount));
        Assert.Contains(live.Sent, l => l.Contains(" STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY)", StringComparison.Ordinal));

        // Asked for a delta, the side answers with everything.
        var listing = await side.ListMessagesAsync("INBOX", 5, default);
        Assert.False(listing.IsDelta);
        Assert.Equal(3, listing.Messages.Count);
        Assert.Equal(0ul, listing.HighestModSeq);

        // A conditional store is plain without CONDSTORE.
        Assert.True(await side.StoreFlagsAsync("INBOX", 1, TestMessages.Flags("F"), FlagSet.Empty, 12345, default));

        // Without UIDPLUS the user's \Deleted m2 survives our expunge of m3, and keeps its flag.
        Assert.True(await side.StoreFlagsAsync("INBOX", 2, TestMessages.Flags("D"), FlagSet.Empty, 0, default));
        await side.ExpungeAsync("INBOX", [3], default);
        var after = await side.ListMessagesAsync("INBOX", 0, default);
        Assert.Equal(["FS", "D"], after.Messages.Select(m => TestMessages.Short(m.Flags)));
        Assert.DoesNotContain(live.Sent, l => l.Contains("UNCHANGEDSINCE", StringComparison.Ordinal)
                                             || l.Contains("CHANGEDSINCE", StringComparison.Ordinal)
                                             || l.Contains("UID EXPUNGE", StringComparison.Ordinal)
                                             || l.Contains("MODSEQ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_appended_over_one_pooled_connection_is_found_over_another_that_had_the_folder_selected()
    {
        // Found by the cut trials without UIDPLUS: Dovecot 2.3.19 runs a UID SEARCH pipelined behind a NOOP on the
        // view from before the NOOP's sync, so the search for an upload missed it and its mapping was lost.
        await using var live = await LiveUpstream.StartAsync(2, "UIDPLUS");
        var side = live.Side;
        // Both connections open with INBOX selected; an append then takes the last one returned, a search the first.
        await Task.WhenAll(side.ListMessagesAsync("INBOX", 0, default), side.ListMessagesAsync("INBOX", 0, default));
        for (var i = 0; i < 3; i++)
        {
            var name = $"pooled{i}";
            Assert.Null(await AppendAsync(side, "INBOX", name));
            Assert.Equal([(uint)(i + 1)], await side.FindMessagesAsync("INBOX", TestMessages.MessageId(name), TestMessages.Make(name).Length, 1, default));
        }
    }

    [Fact]
    public async Task A_connection_cut_mid_operation_fails_that_operation_and_the_next_one_reconnects()
    {
        await using var live = await LiveUpstream.StartAsync(maxConnections: 1);
        var side = live.Side;
        for (var i = 0; i < 20; i++)
        {
            await AppendAsync(side, "INBOX", $"m{i}");
        }
        Assert.Equal(20, (await side.ListMessagesAsync("INBOX", 0, default)).Messages.Count);
        live.CutAfter(300);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => side.FetchIdentitiesAsync("INBOX", Enumerable.Range(1, 20).Select(i => (uint)i).ToList(), default));
        Assert.IsAssignableFrom<ImapProtocolException>(error);
        var identities = await side.FetchIdentitiesAsync("INBOX", Enumerable.Range(1, 20).Select(i => (uint)i).ToList(), default);
        Assert.Equal(20, identities.Count);
        Assert.Equal(2, side.ConnectionsOpened);
    }
}
