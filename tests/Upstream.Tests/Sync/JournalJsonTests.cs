using System.Text.Json;
using ImapProxy.Upstream.Sync.State;
using Microsoft.Data.Sqlite;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>
/// The journal's JSON is source-generated (trim- and AOT-safe); journals left by builds that used the reflection
/// serializer must still read back, and new entries must be written the same way.
/// </summary>
public sealed class JournalJsonTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "imapproxy-journal-" + Guid.NewGuid().ToString("N"), "state.db");
    private SyncStateStore _store = null!;

    private static readonly JournalIntent Full = new()
    {
        Op = "copy", Side = 1, Uids = [5, 4_000_000_000], OtherUid = 9, MinUid = 12, ToFolderId = 3,
        MessageId = "<a@b>", Size = 1234, DateUnix = 1_700_000_000, Key = "k\u00e9y", Flags = @"\Seen $Label1",
        Name = "Archiv/2024", Token = "batch-7",
        Items = [new JournalCopyItem(5, "<a@b>", 1234, 1_700_000_000, "k0", @"\Seen"), new JournalCopyItem(6, null, 1, 0, null, "")],
    };

    public async Task InitializeAsync() => _store = await SyncStateStore.OpenAsync(_path);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public async Task An_intent_is_written_as_the_reflection_serializer_wrote_it()
    {
        var folder = await _store.WriteAsync(tx => tx.AddFolder("INBOX"));
        await _store.WriteAsync(tx => tx.AddIntent(folder, Full));

        Assert.Equal(JsonSerializer.Serialize(Full), Assert.Single(await StoredTextsAsync()));
    }

    [Fact]
    public async Task An_intent_written_by_the_reflection_serializer_reads_back_whole()
    {
        var folder = await _store.WriteAsync(tx => tx.AddFolder("INBOX"));
        await ExecuteAsync($"INSERT INTO journal(folder_id, intent, created) VALUES({folder}, $i, 0)", JsonSerializer.Serialize(Full));

        var entry = Assert.Single(await _store.ReadAsync(tx => tx.GetIntents()));
        Assert.Equal(folder, entry.FolderId);
        Assert.Equal(JsonSerializer.Serialize(Full), JsonSerializer.Serialize(entry.Intent));
        Assert.Equal([5u, 4_000_000_000u], entry.Intent.Uids);
        Assert.Equal("batch-7", entry.Intent.Token);
        Assert.Equal(2, entry.Intent.Items!.Length);
        Assert.Null(entry.Intent.Items[1].MessageId);
    }

    [Fact]
    public async Task An_intent_without_its_required_operation_is_refused()
    {
        var folder = await _store.WriteAsync(tx => tx.AddFolder("INBOX"));
        await ExecuteAsync($"INSERT INTO journal(folder_id, intent, created) VALUES({folder}, $i, 0)", """{"Side":1}""");

        await Assert.ThrowsAsync<JsonException>(() => _store.ReadAsync(tx => tx.GetIntents()));
    }

    private async Task<List<string>> StoredTextsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT intent FROM journal ORDER BY id";
        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            texts.Add(reader.GetString(0));
        return texts;
    }

    private async Task ExecuteAsync(string sql, string intent)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$i", intent);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}
