using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

/// <summary>A deleted, corrupt or foreign index is rebuilt from the Maildir with new UIDVALIDITYs.</summary>
public sealed class RebuildTests
{
    private static async Task<(uint Validity, string[] Subjects)> Populate(TempMirror mirror)
    {
        await using var store = await mirror.OpenAsync();
        await store.CreateFolderAsync("Sent");
        var inbox = await store.OpenFolderAsync("INBOX");
        for (int i = 0; i < 5; i++) await inbox.AppendAsync(TempMirror.Message($"m{i}"), i % 2 == 0 ? MessageFlags.Seen : MessageFlags.None);
        await inbox.StoreFlagsAsync([2], FlagChangeMode.Add, MessageFlags.Deleted);
        await inbox.ExpungeAsync();
        return (inbox.UidValidity, ["m0", "m2", "m3", "m4"]);
    }

    private static async Task AssertRebuilt(TempMirror mirror, uint oldValidity, string[] subjects, bool expectFlagged)
    {
        await using var store = await mirror.OpenAsync();
        Assert.Equal(expectFlagged, store.IndexWasRebuilt);
        var inbox = await store.OpenFolderAsync("INBOX");
        var snapshot = await inbox.SelectAsync();
        Assert.NotEqual(oldValidity, snapshot.Status.UidValidity);
        Assert.True(snapshot.Status.UidValidity > oldValidity);
        var found = new List<string>();
        foreach (var m in snapshot.Messages)
        {
            await using var s = await inbox.OpenMessageAsync(m.Uid);
            string text = await new StreamReader(s).ReadToEndAsync();
            found.Add(text.Split('\n').First(l => l.StartsWith("Subject: ", StringComparison.Ordinal))[9..]);
        }
        Assert.Equal(subjects, found.Order());
        Assert.Equal(3, snapshot.Messages.Count(m => m.Flags.HasFlag(MessageFlags.Seen))); // m0, m2, m4
        Assert.Contains("Sent", (await store.ListFoldersAsync()).Select(f => f.Name));
    }

    [Fact]
    public async Task Deleted_index_is_rebuilt()
    {
        await using var mirror = new TempMirror();
        var (validity, subjects) = await Populate(mirror);
        foreach (var f in Directory.GetFiles(mirror.Root, ".imapproxy-index.sqlite*")) File.Delete(f);
        await AssertRebuilt(mirror, validity, subjects, expectFlagged: false);
    }

    [Fact]
    public async Task Garbage_index_is_moved_aside_and_rebuilt()
    {
        await using var mirror = new TempMirror();
        var (validity, subjects) = await Populate(mirror);
        string index = Path.Combine(mirror.Root, ".imapproxy-index.sqlite");
        foreach (var f in Directory.GetFiles(mirror.Root, ".imapproxy-index.sqlite-*")) File.Delete(f);
        await File.WriteAllBytesAsync(index, Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray());
        await AssertRebuilt(mirror, validity, subjects, expectFlagged: true);
        Assert.Single(Directory.GetFiles(mirror.Root, ".imapproxy-index.sqlite.corrupt-*"));
    }

    [Fact]
    public async Task Index_with_another_schema_is_rebuilt()
    {
        await using var mirror = new TempMirror();
        var (validity, subjects) = await Populate(mirror);
        string index = Path.Combine(mirror.Root, ".imapproxy-index.sqlite");
        foreach (var f in Directory.GetFiles(mirror.Root, ".imapproxy-index.sqlite*")) File.Delete(f);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={index};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE something_else(x INTEGER)";
            await command.ExecuteNonQueryAsync();
        }
        await AssertRebuilt(mirror, validity, subjects, expectFlagged: true);
    }
}
