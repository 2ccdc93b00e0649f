using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

/// <summary>
/// The fast paths: a running watcher's events are applied without listing the folder, with a listing only when
/// events were lost or the mtimes changed unexplained; a closed folder reopens from its packed state, and a stale
/// state (a crash after a change) is never used.
/// </summary>
public sealed class WatcherAndStateTests
{
    private static async Task<(TempMirror Mirror, AccountStore Store, MailFolder Inbox)> OpenWithMessages(int count)
    {
        var mirror = new TempMirror();
        var store = await mirror.OpenAsync(watch: true);
        var inbox = await store.OpenFolderAsync("INBOX");
        for (int i = 0; i < count; i++) await inbox.AppendAsync(TempMirror.Message($"m{i}"), MessageFlags.Seen);
        await inbox.SelectAsync();
        return (mirror, store, inbox);
    }

    [Fact]
    public async Task A_folder_closed_under_a_healthy_watcher_is_not_listed_when_reopened_but_a_later_change_is_seen()
    {
        var (mirror, store, _) = await OpenWithMessages(3);
        await using var _m = mirror;
        // Our own writes were just now: a listing then could not vouch for them. Closing well after them can.
        await Task.Delay(300);
        await store.DisposeAsync();

        await using (var reopened = await mirror.OpenAsync(watch: true))
        {
            var inbox = await reopened.OpenFolderAsync("INBOX");
            Assert.Equal(3, (await inbox.GetStatusAsync()).Messages);
            Assert.Equal(0, inbox.Listings);
        }

        // Another writer delivers while no store is open: the mtime moves, the next open lists and finds it.
        await File.WriteAllTextAsync(Path.Combine(mirror.Root, "new", "1800000001.W2.mda"), "Subject: later\n\nnew\n");
        await using var third = await mirror.OpenAsync(watch: true);
        var again = await third.OpenFolderAsync("INBOX");
        Assert.Equal(4, (await again.GetStatusAsync()).Messages);
        Assert.Equal(1, again.Listings);
    }

    [Fact]
    public async Task Watched_renames_deletions_and_deliveries_are_applied_without_a_listing()
    {
        var (mirror, store, inbox) = await OpenWithMessages(4);
        await using var _ = mirror;
        await using var __ = store;
        string cur = Path.Combine(mirror.Root, "cur");
        var files = TempMirror.Files(cur);
        var before = await inbox.SelectAsync();
        int listings = inbox.Listings;

        File.Move(Path.Combine(cur, files[0]), Path.Combine(cur, files[0].Replace(":2,S", ":2,FS")));
        File.Delete(Path.Combine(cur, files[1]));
        await File.WriteAllTextAsync(Path.Combine(mirror.Root, "tmp", "1800000000.W1.mda"), "Subject: w\n\nnew\n");
        File.Move(Path.Combine(mirror.Root, "tmp", "1800000000.W1.mda"), Path.Combine(mirror.Root, "new", "1800000000.W1.mda"));

        var after = await inbox.SelectAsync();
        Assert.Equal(listings, inbox.Listings);
        var renamed = after.Messages.Single(m => m.Flags.HasFlag(MessageFlags.Flagged));
        Assert.True(renamed.ModSeq > before.Status.HighestModSeq);
        Assert.Equal(4, after.Messages.Count); // 4 - 1 deleted + 1 delivered
        Assert.Equal(before.Status.UidNext, after.Messages[^1].Uid);
        Assert.Single(await inbox.GetExpungedSinceAsync(before.Status.HighestModSeq));
        // The renamed message is readable under its new name.
        await using var read = await inbox.OpenMessageAsync(renamed.Uid);
        Assert.Contains("Subject: m", await new StreamReader(read).ReadToEndAsync());
    }

    [Fact]
    public async Task Own_changes_do_not_make_the_watcher_list_the_folder()
    {
        var (mirror, store, inbox) = await OpenWithMessages(3);
        await using var _ = mirror;
        await using var __ = store;
        int listings = inbox.Listings;
        await inbox.StoreFlagsAsync([1, 2], FlagChangeMode.Add, MessageFlags.Deleted);
        await inbox.ExpungeAsync();
        await inbox.AppendAsync(TempMirror.Message("again"));
        var snapshot = await inbox.SelectAsync();
        Assert.Equal(listings, inbox.Listings);
        Assert.Equal([3u, 4u], snapshot.Messages.Select(m => m.Uid));
    }

    [Fact]
    public async Task Lost_events_fall_back_to_a_listing_that_still_sees_the_change()
    {
        var (mirror, store, inbox) = await OpenWithMessages(2);
        await using var _ = mirror;
        await using var __ = store;
        string cur = Path.Combine(mirror.Root, "cur");
        string file = TempMirror.Files(cur)[0];
        int listings = inbox.Listings;
        File.Move(Path.Combine(cur, file), Path.Combine(cur, file.Replace(":2,S", ":2,RS")));
        store.Watcher!.Drain();
        inbox.SimulateLostEvents(); // as the kernel's queue overflow would

        var snapshot = await inbox.SelectAsync();
        Assert.Equal(listings + 1, inbox.Listings);
        Assert.Single(snapshot.Messages, m => m.Flags.HasFlag(MessageFlags.Answered));
    }

    [Fact]
    public async Task Subscribers_hear_of_a_watched_rename_without_anyone_asking()
    {
        var (mirror, store, inbox) = await OpenWithMessages(1);
        await using var _ = mirror;
        await using var __ = store;
        using var subscription = inbox.Subscribe();
        string cur = Path.Combine(mirror.Root, "cur");
        string file = TempMirror.Files(cur)[0];
        File.Move(Path.Combine(cur, file), Path.Combine(cur, file.Replace(":2,S", ":2,FS")));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.True(await subscription.WaitToReadAsync(timeout.Token));
        Assert.True(subscription.TryRead(out var change));
        Assert.Equal(FolderChangeKind.FlagsChanged, change.Kind);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, change.Message!.Value.Flags);
    }

    [Fact]
    public async Task A_closed_folder_reopens_from_its_state_and_a_stale_state_is_not_used()
    {
        await using var mirror = new TempMirror();
        await using (var store = await mirror.OpenAsync())
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            for (int i = 0; i < 3; i++) await inbox.AppendAsync(TempMirror.Message($"m{i}"), MessageFlags.Seen, ["$Label1"]);
            await inbox.StoreFlagsAsync([2], FlagChangeMode.Add, MessageFlags.Flagged, ["$Junk"]);
        }
        var reopened = await mirror.OpenAsync();
        var fromState = await reopened.OpenFolderAsync("INBOX");
        Assert.True(fromState.OpenedFromState);
        var snapshot = await fromState.SelectAsync();
        Assert.Equal([1u, 2u, 3u], snapshot.Messages.Select(m => m.Uid));
        Assert.Equal(["$Label1", "$Junk"], snapshot.Messages[1].Keywords);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, snapshot.Messages[1].Flags);
        await using (var read = await fromState.OpenMessageAsync(3))
            Assert.Contains("Subject: m2", await new StreamReader(read).ReadToEndAsync());
        var found = await fromState.FindMessageAsync(3);
        Assert.Equal(3u, found!.Value.Info.Uid);
        Assert.Contains(TempMirror.Files(Path.Combine(mirror.Root, "cur")), f => f.StartsWith(found.Value.BaseName + ":2,", StringComparison.Ordinal));

        // A change, then a "crash" (no close): the state written at the last close must not be trusted.
        await fromState.StoreFlagsAsync([1], FlagChangeMode.Remove, MessageFlags.Seen);
        await fromState.AppendAsync(TempMirror.Message("m3"));
        await using (var afterCrash = await mirror.OpenAsync(watch: false))
        {
            var inbox = await afterCrash.OpenFolderAsync("INBOX");
            Assert.False(inbox.OpenedFromState);
            var rows = await inbox.SelectAsync();
            Assert.Equal([1u, 2u, 3u, 4u], rows.Messages.Select(m => m.Uid));
            Assert.Equal(MessageFlags.None, rows.Messages[0].Flags);
        }
        await reopened.DisposeAsync();
    }
}
