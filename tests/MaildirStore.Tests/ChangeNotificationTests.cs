using ImapProxy.Store;
using ImapProxy.TestSupport;

namespace ImapProxy.Store.Tests;

public sealed class ChangeNotificationTests
{
    private static async Task<List<FolderChange>> Drain(FolderSubscription subscription, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var result = new List<FolderChange>();
        await foreach (var change in subscription.ReadAllAsync(cts.Token))
        {
            result.Add(change);
            if (result.Count == count) break;
        }
        return result;
    }

    [Fact]
    public async Task Subscribers_see_appends_flag_changes_and_expunges_in_order()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var inbox = await store.OpenFolderAsync("INBOX");
        using var subscription = inbox.Subscribe();

        var a = await inbox.AppendAsync(TempMirror.Message("a"));
        await inbox.StoreFlagsAsync([a.Uid], FlagChangeMode.Add, MessageFlags.Deleted);
        await inbox.ExpungeAsync();

        var changes = await Drain(subscription, 3);
        Assert.Equal([FolderChangeKind.Added, FolderChangeKind.FlagsChanged, FolderChangeKind.Expunged], changes.Select(c => c.Kind));
        Assert.All(changes, c => Assert.Equal(a.Uid, c.Uid));
        Assert.Equal(a.ModSeq, changes[0].ModSeq);
        Assert.True(changes[1].ModSeq > changes[0].ModSeq && changes[2].ModSeq > changes[1].ModSeq);
        Assert.Equal(MessageFlags.Deleted, changes[1].Message!.Value.Flags);
    }

    [Fact]
    public async Task A_slow_subscriber_gets_resync_needed_and_writers_do_not_wait()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var inbox = await store.OpenFolderAsync("INBOX");
        using var slow = inbox.Subscribe(capacity: 4);
        using var fast = inbox.Subscribe();

        for (int i = 0; i < 10; i++) await inbox.AppendAsync(TempMirror.Message($"m{i}"));

        var fastChanges = await Drain(fast, 10);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (uint)i), fastChanges.Select(c => c.Uid));
        var queued = new List<FolderChange>();
        while (slow.TryRead(out var change)) queued.Add(change);
        Assert.True(queued.Count <= 4, $"{queued.Count} queued");
        Assert.Contains(queued, c => c.Kind == FolderChangeKind.ResyncNeeded);
    }

    [Fact]
    public async Task Deleting_the_folder_ends_subscriptions_with_folder_gone()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        await store.CreateFolderAsync("Doomed");
        var folder = await store.OpenFolderAsync("Doomed");
        using var subscription = folder.Subscribe();
        await store.DeleteFolderAsync("Doomed");
        var changes = new List<FolderChange>();
        await Bounded.StepAsync(async token =>
        {
            await foreach (var c in subscription.ReadAllAsync(token)) changes.Add(c);
            return true;
        }, Bounded.Patience, () => $"the subscription of a deleted folder to end (read so far: {string.Join(", ", changes.Select(c => c.Kind))})");
        Assert.Equal([FolderChangeKind.FolderGone], changes.Select(c => c.Kind));
    }

    [Fact]
    public async Task Another_writers_delivery_is_reported_without_any_call_through_the_watcher()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: true);
        var inbox = await store.OpenFolderAsync("INBOX");
        await inbox.SelectAsync();
        using var subscription = inbox.Subscribe();

        string tmp = Path.Combine(mirror.Root, "tmp", "1700000000.M1P1.mda");
        await File.WriteAllTextAsync(tmp, "Subject: delivered\n\nhi\n");
        File.Move(tmp, Path.Combine(mirror.Root, "new", "1700000000.M1P1.mda"));

        var change = Assert.Single(await Drain(subscription, 1));
        Assert.Equal(FolderChangeKind.Added, change.Kind);
        Assert.Equal(1u, change.Uid);
    }
}
