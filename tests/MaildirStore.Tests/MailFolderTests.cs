using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

public sealed class MailFolderTests
{
    [Fact]
    public async Task Append_writes_into_new_and_gives_increasing_uids()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var inbox = await store.OpenFolderAsync("inbox");
        var first = await inbox.AppendAsync(TempMirror.Message("one"));
        var second = await inbox.AppendAsync(TempMirror.Message("two"), MessageFlags.Seen | MessageFlags.Flagged, ["$Label1"]);

        Assert.Equal(1u, first.Uid);
        Assert.Equal(2u, second.Uid);
        Assert.True(second.ModSeq > first.ModSeq);
        Assert.Single(TempMirror.Files(Path.Combine(mirror.Root, "new")));
        var cur = Assert.Single(TempMirror.Files(Path.Combine(mirror.Root, "cur")));
        Assert.EndsWith(":2,FSa", cur); // a = $Label1, as dovecot-keywords says
        Assert.Empty(TempMirror.Files(Path.Combine(mirror.Root, "tmp")));

        var snapshot = await inbox.SelectAsync();
        Assert.Equal(3u, snapshot.Status.UidNext);
        Assert.Equal(2, snapshot.Status.Messages);
        Assert.Equal(1, snapshot.Status.Unseen);
        Assert.Equal(second.ModSeq, snapshot.Status.HighestModSeq);
        Assert.Equal(["$Label1"], snapshot.Messages[1].Keywords);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, snapshot.Messages[1].Flags);
    }

    [Fact]
    public async Task Size_counts_crlf_and_bytes_read_back_unchanged()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var inbox = await store.OpenFolderAsync("INBOX");
        byte[] content = "Subject: x\n\nline1\r\nline2\n"u8.ToArray();
        var result = await inbox.AppendAsync(new MemoryStream(content), internalDate: new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero));

        var info = (await inbox.SelectAsync()).Messages.Single();
        Assert.Equal(content.Length + 3, info.Size); // three bare LFs
        Assert.Equal(new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero), info.InternalDate);
        await using var stream = await inbox.OpenMessageAsync(result.Uid);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
        await Assert.ThrowsAsync<MessageNotFoundException>(() => inbox.OpenMessageAsync(99));
    }

    [Fact]
    public async Task Store_flags_renames_the_file_with_flag_and_keyword_letters()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var inbox = await store.OpenFolderAsync("INBOX");
        var appended = await inbox.AppendAsync(TempMirror.Message("x"));

        var result = await inbox.StoreFlagsAsync([appended.Uid], FlagChangeMode.Add, MessageFlags.Seen | MessageFlags.Answered, ["$Junk"]);
        var updated = Assert.Single(result.Updated);
        Assert.True(updated.ModSeq > appended.ModSeq);
        Assert.Empty(TempMirror.Files(Path.Combine(mirror.Root, "new")));
        Assert.EndsWith(":2,RSa", Assert.Single(TempMirror.Files(Path.Combine(mirror.Root, "cur"))));

        // Keywords only (matched case-insensitively): the letter goes, and a new MODSEQ.
        var kw = await inbox.StoreFlagsAsync([appended.Uid], FlagChangeMode.Remove, MessageFlags.None, ["$junk"]);
        Assert.Empty(kw.Updated[0].Keywords);
        Assert.EndsWith(":2,RS", Assert.Single(TempMirror.Files(Path.Combine(mirror.Root, "cur"))));
        Assert.True(kw.Updated[0].ModSeq > updated.ModSeq);

        // UNCHANGEDSINCE below the current MODSEQ: refused.
        var refused = await inbox.StoreFlagsAsync([appended.Uid], FlagChangeMode.Replace, MessageFlags.None, unchangedSince: updated.ModSeq);
        Assert.Equal([appended.Uid], refused.Modified);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Answered, (await inbox.SelectAsync()).Messages[0].Flags);
    }

    [Fact]
    public async Task Unknown_flag_letters_from_other_tools_are_preserved()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        File.WriteAllText(Path.Combine(mirror.Root, "cur", "1700000000.M1P1.other:2,Sab"), "Subject: x\n\nbody\n");
        var inbox = await store.OpenFolderAsync("INBOX");
        var message = Assert.Single((await inbox.SelectAsync()).Messages);
        Assert.Equal(MessageFlags.Seen, message.Flags);

        await inbox.StoreFlagsAsync([message.Uid], FlagChangeMode.Add, MessageFlags.Flagged);
        Assert.Equal(["1700000000.M1P1.other:2,FSab"], TempMirror.Files(Path.Combine(mirror.Root, "cur")));
    }

    [Fact]
    public async Task Expunge_removes_deleted_messages_and_keeps_tombstones()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var inbox = await store.OpenFolderAsync("INBOX");
        var a = await inbox.AppendAsync(TempMirror.Message("a"));
        var b = await inbox.AppendAsync(TempMirror.Message("b"), MessageFlags.Deleted);
        var c = await inbox.AppendAsync(TempMirror.Message("c"), MessageFlags.Deleted);
        ulong before = (await inbox.GetStatusAsync()).HighestModSeq;

        Assert.Equal([b.Uid], await inbox.ExpungeAsync([a.Uid, b.Uid])); // UID EXPUNGE: only b
        Assert.Equal([c.Uid], await inbox.ExpungeAsync());
        var status = await inbox.GetStatusAsync();
        Assert.Equal(1, status.Messages);
        Assert.Equal(before + 2, status.HighestModSeq);
        Assert.Equal([b.Uid, c.Uid], await inbox.GetExpungedSinceAsync(before));
        Assert.Equal([c.Uid], await inbox.GetExpungedSinceAsync(before + 1));
        Assert.Single(TempMirror.Files(Path.Combine(mirror.Root, "new")));
        Assert.Empty(TempMirror.Files(Path.Combine(mirror.Root, "cur")));
    }

    [Fact]
    public async Task Copy_and_move_give_new_uids_and_move_keeps_the_base_name()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        await store.CreateFolderAsync("Archive");
        var inbox = await store.OpenFolderAsync("INBOX");
        var archive = await store.OpenFolderAsync("Archive");
        var a = await inbox.AppendAsync(TempMirror.Message("a"), MessageFlags.Seen, ["$Label2"]);
        var b = await inbox.AppendAsync(TempMirror.Message("b"));
        string bName = TempMirror.Files(Path.Combine(mirror.Root, "new")).Single();

        var copied = await inbox.CopyToAsync([a.Uid], archive);
        Assert.Equal([new UidPair(a.Uid, 1)], copied.Pairs);
        Assert.Equal(archive.UidValidity, copied.TargetUidValidity);
        var moved = await inbox.MoveToAsync([b.Uid, 77], archive);
        Assert.Equal([new UidPair(b.Uid, 2)], moved.Pairs);

        Assert.Equal([bName], TempMirror.Files(Path.Combine(mirror.Root, ".Archive", "new")));
        var archived = (await archive.SelectAsync()).Messages;
        Assert.Equal(2, archived.Count);
        Assert.Equal(MessageFlags.Seen, archived[0].Flags);
        Assert.Equal(["$Label2"], archived[0].Keywords);
        var inboxNow = await inbox.SelectAsync();
        Assert.Equal([a.Uid], inboxNow.Messages.Select(m => m.Uid));
        Assert.Equal([b.Uid], await inbox.GetExpungedSinceAsync(0));
        // The copy is a separate file with its own name.
        Assert.NotEqual(TempMirror.Files(Path.Combine(mirror.Root, "cur")), TempMirror.Files(Path.Combine(mirror.Root, ".Archive", "cur")));
    }

    [Fact]
    public async Task Index_survives_reopen_with_same_uids()
    {
        await using var mirror = new TempMirror();
        uint validity;
        await using (var store = await mirror.OpenAsync())
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            await inbox.AppendAsync(TempMirror.Message("a"));
            await inbox.AppendAsync(TempMirror.Message("b"), keywords: ["$Label3"]);
            validity = inbox.UidValidity;
        }
        await using (var store = await mirror.OpenAsync())
        {
            Assert.False(store.IndexWasRebuilt);
            var inbox = await store.OpenFolderAsync("INBOX");
            var snapshot = await inbox.SelectAsync();
            Assert.Equal(validity, snapshot.Status.UidValidity);
            Assert.Equal([1u, 2u], snapshot.Messages.Select(m => m.Uid));
            Assert.Equal(["$Label3"], snapshot.Messages[1].Keywords);
        }
    }
}
