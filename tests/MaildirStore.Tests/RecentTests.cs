using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

/// <summary>
/// The \Recent boundary a folder keeps in the index (RFC 3501 §2.3.2): mail that arrives while no server runs, or
/// before anyone selected the folder, is \Recent for the next session; a claim survives a restart.
/// </summary>
public sealed class RecentTests
{
    [Fact]
    public async Task A_claim_lasts_across_a_restart_and_later_arrivals_are_recent()
    {
        await using var mirror = new TempMirror();
        await using (var store = await mirror.OpenAsync())
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            await inbox.AppendAsync(TempMirror.Message("a"), MessageFlags.None);
            await inbox.AppendAsync(TempMirror.Message("b"), MessageFlags.Seen);
            Assert.Equal(2, await inbox.CountRecentAsync());
            Assert.Equal(1u, inbox.ClaimRecent(2));
            Assert.Equal(3u, inbox.ClaimRecent(2));   // nothing left to claim: the second caller gets none of 1–2
            await inbox.SaveRecentAsync();
            Assert.Equal(0, await inbox.CountRecentAsync());
        }
        await using (var store = await mirror.OpenAsync())
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            Assert.Equal(3u, inbox.FirstRecentUid);
            Assert.Equal(0, await inbox.CountRecentAsync());
            await inbox.AppendAsync(TempMirror.Message("c"), MessageFlags.None);   // as the synchronizer or another session would
            Assert.Equal(1, await inbox.CountRecentAsync());
        }
    }

    [Fact]
    public async Task A_file_dropped_in_while_no_store_is_open_is_recent()
    {
        await using var mirror = new TempMirror();
        await using (var store = await mirror.OpenAsync())
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            await inbox.AppendAsync(TempMirror.Message("a"), MessageFlags.None);
            inbox.ClaimRecent(1);
            await inbox.SaveRecentAsync();
        }
        var name = "1700000000.M1P1.drop";
        await File.WriteAllTextAsync(Path.Combine(mirror.Root, "tmp", name), "Subject: dropped\n\nhi\n");
        File.Move(Path.Combine(mirror.Root, "tmp", name), Path.Combine(mirror.Root, "new", name));
        await using (var store = await mirror.OpenAsync())
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            Assert.Equal(1, await inbox.CountRecentAsync());
            var snapshot = await inbox.SelectAsync();
            Assert.Equal(2u, inbox.ClaimRecent(snapshot.Messages[^1].Uid));
        }
    }

    [Fact]
    public async Task A_folder_deleted_and_made_again_starts_with_everything_recent()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        await store.CreateFolderAsync("Work");
        var work = await store.OpenFolderAsync("Work");
        await work.AppendAsync(TempMirror.Message("a"), MessageFlags.None);
        work.ClaimRecent(1);
        await work.SaveRecentAsync();
        await store.DeleteFolderAsync("Work");
        await store.CreateFolderAsync("Work");
        work = await store.OpenFolderAsync("Work");
        Assert.Equal(1u, work.FirstRecentUid);
        await work.AppendAsync(TempMirror.Message("b"), MessageFlags.None);
        Assert.Equal(1, await work.CountRecentAsync());
    }
}
