using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

public sealed class LayoutTests
{
    [Fact]
    public async Task MaildirPlusPlus_lays_folders_out_as_dovecot_does()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(MaildirLayout.MaildirPlusPlus);
        await store.CreateFolderAsync("Archive");
        await store.CreateFolderAsync("Archive/2024");
        await store.CreateFolderAsync("Entwürfe & Notizen");
        await store.CreateFolderAsync("INBOX/Sub");

        Assert.True(File.Exists(Path.Combine(mirror.Root, ".Archive", "maildirfolder")));
        Assert.True(Directory.Exists(Path.Combine(mirror.Root, ".Archive.2024", "cur")));
        Assert.True(Directory.Exists(Path.Combine(mirror.Root, ".Entw&APw-rfe &- Notizen", "tmp")));
        Assert.True(Directory.Exists(Path.Combine(mirror.Root, ".INBOX.Sub", "new")));
        var names = (await store.ListFoldersAsync()).Select(f => f.Name).ToList();
        Assert.Equal(["INBOX", "Archive", "Archive/2024", "Entwürfe & Notizen", "INBOX/Sub"], names);
        await Assert.ThrowsAsync<FolderExistsException>(() => store.CreateFolderAsync("Archive"));
        await Assert.ThrowsAsync<FolderExistsException>(() => store.CreateFolderAsync("inbox"));
    }

    [Fact]
    public async Task Fs_layout_nests_directories()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(MaildirLayout.Fs);
        await store.CreateFolderAsync("Work/Projects/Ünï");
        await store.CreateFolderAsync("a.b");

        Assert.True(Directory.Exists(Path.Combine(mirror.Root, "Work", "Projects", "&ANw-n&AO8-", "cur")));
        Assert.True(Directory.Exists(Path.Combine(mirror.Root, "a.b", "cur")));
        Assert.False(File.Exists(Path.Combine(mirror.Root, "Work", "Projects", "&ANw-n&AO8-", "maildirfolder")));
        var folders = await store.ListFoldersAsync();
        Assert.Equal(
            [new FolderInfo("INBOX", true), new FolderInfo("Work", false), new FolderInfo("Work/Projects", false),
             new FolderInfo("Work/Projects/Ünï", true), new FolderInfo("a.b", true)],
            folders.OrderBy(f => f.Name == "INBOX" ? "" : f.Name, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(MaildirLayout.MaildirPlusPlus)]
    [InlineData(MaildirLayout.Fs)]
    public async Task Rename_moves_children_and_keeps_uids(MaildirLayout layout)
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(layout);
        await store.CreateFolderAsync("Old");
        await store.CreateFolderAsync("Old/Child");
        var child = await store.OpenFolderAsync("Old/Child");
        var appended = await child.AppendAsync(TempMirror.Message("kept"));
        uint validity = child.UidValidity;

        await store.RenameFolderAsync("Old", "New");
        await Assert.ThrowsAsync<FolderNotFoundException>(() => child.SelectAsync());
        var renamed = await store.OpenFolderAsync("New/Child");
        var snapshot = await renamed.SelectAsync();
        Assert.Equal(validity, snapshot.Status.UidValidity);
        Assert.Equal([appended.Uid], snapshot.Messages.Select(m => m.Uid));
        Assert.Equal(["INBOX", "New", "New/Child"], (await store.ListFoldersAsync()).Select(f => f.Name));
        await Assert.ThrowsAsync<FolderNotFoundException>(() => store.OpenFolderAsync("Old"));
    }

    [Theory]
    [InlineData(MaildirLayout.MaildirPlusPlus)]
    [InlineData(MaildirLayout.Fs)]
    public async Task Delete_removes_the_folder_and_a_recreated_one_gets_a_new_uidvalidity(MaildirLayout layout)
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(layout);
        await store.CreateFolderAsync("Trash");
        await store.CreateFolderAsync("Trash/Keep");
        var trash = await store.OpenFolderAsync("Trash");
        await trash.AppendAsync(TempMirror.Message("bye"));
        uint validity = trash.UidValidity;

        await store.DeleteFolderAsync("Trash");
        Assert.DoesNotContain("Trash", (await store.ListFoldersAsync()).Where(f => f.Selectable).Select(f => f.Name));
        Assert.Contains("Trash/Keep", (await store.ListFoldersAsync()).Select(f => f.Name));
        await Assert.ThrowsAsync<MailStoreException>(() => store.DeleteFolderAsync("INBOX"));

        await store.CreateFolderAsync("Trash");
        var again = await store.OpenFolderAsync("Trash");
        var status = await again.GetStatusAsync();
        Assert.NotEqual(validity, status.UidValidity);
        Assert.Equal(0, status.Messages);
        Assert.Equal(1u, status.UidNext);
    }
}
