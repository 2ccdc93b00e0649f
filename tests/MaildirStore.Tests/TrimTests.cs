using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

/// <summary>
/// An idle folder gives back its file names (<see cref="AccountStore.TrimIdleFoldersAsync"/>); everything that
/// needs them afterwards finds them again in the index, and a folder someone watches is left alone.
/// </summary>
public sealed class TrimTests
{
    [Fact]
    public async Task A_trimmed_folder_still_reads_renames_expunges_and_notices_other_writers()
    {
        await using var mirror = new TempMirror();
        // Watcher off: our own writes would queue background scans that hold the folder's lock at random moments,
        // and a trim gives way to them (it is retried at the next idle moment), which made the counts below flaky.
        // The other writer is then noticed by the directory-mtime check, which is what this test is about.
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        for (int i = 0; i < 4; i++) await inbox.AppendAsync(TempMirror.Message("m" + i), MessageFlags.None);
        Assert.NotNull(await inbox.FindMessageAsync(1));   // names loaded

        Assert.Equal(1, await store.TrimIdleFoldersAsync());
        Assert.Equal(0, await store.TrimIdleFoldersAsync());   // nothing left to give back

        await using (var stream = await inbox.OpenMessageAsync(2)) Assert.True(stream.Length > 0);
        await inbox.StoreFlagsAsync([3], FlagChangeMode.Add, MessageFlags.Seen, []);
        Assert.Single(Directory.GetFiles(Path.Combine(mirror.Root, "cur"), "*:2,S"));
        Assert.Equal(1, await store.TrimIdleFoldersAsync());
        await inbox.StoreFlagsAsync([4], FlagChangeMode.Add, MessageFlags.Deleted, []);
        await inbox.ExpungeAsync();
        Assert.Equal(1, await store.TrimIdleFoldersAsync());

        // Another program deletes message 1's file while the names are not in memory.
        var first = (await inbox.FindMessageAsync(1))!.Value.BaseName;
        Assert.Equal(1, await store.TrimIdleFoldersAsync());
        foreach (var f in Directory.GetFiles(mirror.Root, first + "*", SearchOption.AllDirectories)) File.Delete(f);
        var snapshot = await inbox.SelectAsync();
        Assert.Equal([2u, 3u], snapshot.Messages.Select(m => m.Uid));
        Assert.Equal(MessageFlags.Seen, snapshot.Messages[1].Flags);
    }

    [Fact]
    public async Task A_folder_with_a_subscriber_is_not_trimmed()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var inbox = await store.OpenFolderAsync("INBOX");
        await inbox.AppendAsync(TempMirror.Message("a"), MessageFlags.None);
        Assert.NotNull(await inbox.FindMessageAsync(1));
        using (inbox.Subscribe())
        {
            Assert.Equal(0, await store.TrimIdleFoldersAsync());
        }
        Assert.Equal(1, await store.TrimIdleFoldersAsync());
    }
}
