using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

/// <summary>
/// An open folder nobody reads gives back all its messages (<see cref="AccountStore.ReleaseIdleFoldersAsync"/>) and
/// reads them again on the next call: same instance, same answers, nothing lost (flags, keywords, MODSEQ, UIDNEXT,
/// the \Recent boundary), and changes made meanwhile by other programs are found.
/// </summary>
public sealed class ReleaseTests
{
    [Fact]
    public async Task A_released_folder_answers_as_before_and_goes_on_from_where_it_was()
    {
        await using var mirror = new TempMirror();
        FolderSnapshot before;
        await using (var store = await mirror.OpenAsync(watch: false))
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            await inbox.AppendAsync(TempMirror.Message("a"), MessageFlags.Seen, ["$Label1"], DateTimeOffset.FromUnixTimeSeconds(1_600_000_000));
            await inbox.AppendAsync(TempMirror.Message("b", "longer body\n"), MessageFlags.None);
            await inbox.AppendAsync(TempMirror.Message("c"), MessageFlags.Flagged | MessageFlags.Draft, ["$Junk", "work"]);
            await inbox.StoreFlagsAsync([2], FlagChangeMode.Add, MessageFlags.Answered, ["later"]);
            Assert.Equal(1u, inbox.ClaimRecent(2));
            before = await inbox.SelectAsync();

            Assert.Equal(1, await store.ReleaseIdleFoldersAsync(TimeSpan.Zero));
            Assert.Equal(0, await store.ReleaseIdleFoldersAsync(TimeSpan.Zero));   // already released

            Assert.Same(inbox, await store.OpenFolderAsync("INBOX"));
            Assert.Equal(3u, inbox.FirstRecentUid);   // the claim was in memory only, and stays
            Assert.Equal(1, await inbox.CountRecentAsync());
            AssertSameSnapshot(before, await inbox.SelectAsync());
            var stored = await inbox.StoreFlagsAsync([3], FlagChangeMode.Remove, MessageFlags.Draft);
            Assert.Equal(before.Status.HighestModSeq + 1, stored.Updated.Single().ModSeq);

            Assert.Equal(1, await store.ReleaseIdleFoldersAsync(TimeSpan.Zero));
            var appended = await inbox.AppendAsync(TempMirror.Message("d"), MessageFlags.None);
            Assert.Equal(before.Status.UidNext, appended.Uid);
            Assert.Equal(before.Status.HighestModSeq + 2, appended.ModSeq);
            Assert.Equal(1, await store.ReleaseIdleFoldersAsync(TimeSpan.Zero));
            await using (var stream = await inbox.OpenMessageAsync(2)) Assert.True(stream.Length > 0);
            before = await inbox.SelectAsync();
            Assert.Equal(1, await store.ReleaseIdleFoldersAsync(TimeSpan.Zero));
        }
        // Closed while released: the next process finds all of it.
        await using (var store = await mirror.OpenAsync(watch: false))
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            AssertSameSnapshot(before, await inbox.SelectAsync());
        }
    }

    [Fact]
    public async Task Expunge_copy_and_move_work_on_a_released_folder()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        await store.CreateFolderAsync("Archive");
        var archive = await store.OpenFolderAsync("Archive");
        for (int i = 0; i < 4; i++) await inbox.AppendAsync(TempMirror.Message("m" + i), i == 0 ? MessageFlags.Deleted : MessageFlags.None);

        Assert.Equal(2, await store.ReleaseIdleFoldersAsync(TimeSpan.Zero));
        Assert.Equal([1u], await inbox.ExpungeAsync());
        Assert.Equal(1, await store.ReleaseIdleFoldersAsync(TimeSpan.Zero));   // Archive was not used since
        var copied = await inbox.CopyToAsync([2], archive);
        Assert.Equal(2, await store.ReleaseIdleFoldersAsync(TimeSpan.Zero));
        var moved = await inbox.MoveToAsync([3], archive);

        Assert.Equal([2u, 4u], (await inbox.SelectAsync()).Messages.Select(m => m.Uid));   // 2 copied, 3 moved
        Assert.Equal(copied.Pairs.Concat(moved.Pairs).Select(p => p.TargetUid), (await archive.SelectAsync()).Messages.Select(m => m.Uid));
        Assert.Equal(2, TempMirror.Files(Path.Combine(mirror.Root, ".Archive", "cur")).Length + TempMirror.Files(Path.Combine(mirror.Root, ".Archive", "new")).Length);
    }

    [Fact]
    public async Task A_session_subscriber_or_recent_use_keeps_the_messages_a_passive_follower_does_not()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        await inbox.AppendAsync(TempMirror.Message("a"), MessageFlags.None);

        Assert.Equal(0, await store.ReleaseIdleFoldersAsync(TimeSpan.FromHours(1)));   // just used
        using (inbox.Subscribe())
        {
            Assert.Equal(0, await store.ReleaseIdleFoldersAsync(TimeSpan.Zero));
        }
        using (inbox.Subscribe(passive: true))
        {
            Assert.Equal(1, await store.ReleaseIdleFoldersAsync(TimeSpan.Zero));
        }
    }

    [Fact]
    public async Task Another_programs_changes_to_a_released_folder_reach_a_passive_follower_and_are_read_back()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: true);
        var inbox = await store.OpenFolderAsync("INBOX");
        await inbox.AppendAsync(TempMirror.Message("a"), MessageFlags.Seen);
        await inbox.AppendAsync(TempMirror.Message("b"), MessageFlags.None);
        var status = await inbox.GetStatusAsync();
        using var follower = inbox.Subscribe(passive: true);
        await ReleaseAsync(store);

        // Another program delivers a message and marks message 2 \Flagged (a rename), while nothing is in memory.
        File.WriteAllText(Path.Combine(mirror.Root, "tmp", "1700000000.M1P1.other"), "Subject: dropped\n\nhi\n");
        File.Move(Path.Combine(mirror.Root, "tmp", "1700000000.M1P1.other"), Path.Combine(mirror.Root, "new", "1700000000.M1P1.other"));
        string baseName = (await inbox.FindMessageAsync(2))!.Value.BaseName;
        string second = Directory.GetFiles(Path.Combine(mirror.Root, "new")).Concat(Directory.GetFiles(Path.Combine(mirror.Root, "cur")))
            .Single(f => Path.GetFileName(f).StartsWith(baseName, StringComparison.Ordinal));
        await ReleaseAsync(store);
        File.Move(second, Path.Combine(mirror.Root, "cur", Path.GetFileName(second).Split(':')[0] + ":2,F"));

        var seen = new List<FolderChangeKind>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(seen.Contains(FolderChangeKind.Added) && seen.Contains(FolderChangeKind.FlagsChanged)))
        {
            await follower.WaitToReadAsync(cancel.Token);
            while (follower.TryRead(out var change)) seen.Add(change.Kind);
        }
        Assert.DoesNotContain(FolderChangeKind.Expunged, seen);
        var snapshot = await inbox.SelectAsync();
        Assert.Equal([1u, 2u, status.UidNext], snapshot.Messages.Select(m => m.Uid));
        Assert.Equal(MessageFlags.Flagged, snapshot.Messages[1].Flags);
        Assert.Equal(MessageFlags.Seen, snapshot.Messages[0].Flags);
    }

    [Fact]
    public async Task Releases_racing_with_reads_and_writes_lose_nothing()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        const int writers = 4, perWriter = 15;
        int releases = 0;
        var work = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < perWriter; i++)
            {
                var appended = await inbox.AppendAsync(TempMirror.Message($"w{w}-{i}"), MessageFlags.None);
                await inbox.StoreFlagsAsync([appended.Uid], FlagChangeMode.Add, MessageFlags.Seen, ["k" + w]);
                var snapshot = await inbox.SelectAsync();
                Assert.Contains(snapshot.Messages, m => m.Uid == appended.Uid && m.Flags == MessageFlags.Seen);
                Assert.Same(inbox, await store.OpenFolderAsync("INBOX"));
                Interlocked.Add(ref releases, await store.ReleaseIdleFoldersAsync(TimeSpan.Zero));   // between the others' calls
            }
        })).ToList();
        await Task.WhenAll(work);

        var final = await inbox.SelectAsync();
        Assert.Equal(writers * perWriter, final.Messages.Count);
        Assert.All(final.Messages, m => Assert.Equal(MessageFlags.Seen, m.Flags));
        Assert.Equal(final.Messages.Max(m => m.ModSeq), final.Status.HighestModSeq);
        Assert.Equal(writers * perWriter, final.Messages.Select(m => m.ModSeq).Distinct().Count());
        Assert.Equal(writers * perWriter, final.Messages.Count(m => m.Keywords.Count == 1 && m.Keywords[0].StartsWith('k')));
        Assert.True(releases > 0);
    }

    /// <summary>Releases INBOX; with the watcher on, a background scan of our own writes may hold the lock for a moment.</summary>
    private static async Task ReleaseAsync(AccountStore store)
    {
        for (int attempt = 0; attempt < 500; attempt++)
        {
            if (await store.ReleaseIdleFoldersAsync(TimeSpan.Zero) == 1) return;
            await Task.Delay(10);
        }
        Assert.Fail("the folder was never idle");
    }

    private static void AssertSameSnapshot(FolderSnapshot expected, FolderSnapshot actual)
    {
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Messages.Count, actual.Messages.Count);
        for (int i = 0; i < expected.Messages.Count; i++)
        {
            var (e, a) = (expected.Messages[i], actual.Messages[i]);
            Assert.Equal((e.Uid, e.Flags, e.ModSeq, e.InternalDate, e.Size), (a.Uid, a.Flags, a.ModSeq, a.InternalDate, a.Size));
            Assert.Equal(e.Keywords, a.Keywords);
        }
    }
}
