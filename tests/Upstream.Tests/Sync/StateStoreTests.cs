using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>The SQLite state: round trips, rollback on failure, persistence across reopen.</summary>
public sealed class StateStoreTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "imapproxy-state-" + Guid.NewGuid().ToString("N"), "state.db");
    private SyncStateStore _store = null!;

    public async Task InitializeAsync() => _store = await SyncStateStore.OpenAsync(_path);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public async Task FoldersMappingsAndJournalSurviveReopen()
    {
        var id = await _store.WriteAsync(tx => tx.AddFolder("INBOX"));
        var date = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        await _store.WriteAsync(tx =>
        {
            tx.SetSideState(id, 0, new SideState(7, 100, 12345678901, 99));
            tx.SetSideState(id, 1, new SideState(uint.MaxValue, 5, 0, 4));
            tx.PutMapping(id, new MappedMessage(4_000_000_000, 2, FlagSet.Of(@"\Seen", "$Label1"), "<a@b>", 1234, date, "k0", null));
            tx.PutMapping(id, new MappedMessage(5, 6, null, null, 10, date, null, "k1"));
            tx.SetStopped(id, "guard: test");
            tx.AddIntent(id, new JournalIntent { Op = "copy", Side = 1, Uids = [5], MessageId = "<a@b>", Size = 1234 });
        });
        await _store.DisposeAsync();
        _store = await SyncStateStore.OpenAsync(_path);

        var folder = Assert.Single(await _store.ReadAsync(tx => tx.GetFolders()));
        Assert.Equal("INBOX", folder.Name);
        Assert.Equal("guard: test", folder.StoppedReason);
        Assert.Equal(new SideState(7, 100, 12345678901, 99), folder.Side0);
        Assert.Equal(new SideState(uint.MaxValue, 5, 0, 4), folder.Side1);
        var mappings = await _store.ReadAsync(tx => tx.GetMappings(id));
        Assert.Equal(2, mappings.Count);
        var big = mappings.Single(m => m.Uid0 == 4_000_000_000);
        Assert.Equal(FlagSet.Of("$label1", @"\SEEN"), big.BaseFlags);
        Assert.Equal(date, big.InternalDate);
        Assert.Null(big.Key1);
        // Recorded in the same transaction through one prepared statement: nothing of the first row carries over.
        var small = mappings.Single(m => m.Uid0 == 5);
        Assert.Null(small.BaseFlags);
        Assert.Null(small.MessageId);
        Assert.Null(small.Key0);
        Assert.Equal("k1", small.Key1);
        Assert.Equal(10, small.Size);
        var intent = Assert.Single(await _store.ReadAsync(tx => tx.GetIntents()));
        Assert.Equal("copy", intent.Intent.Op);
        Assert.Equal([5u], intent.Intent.Uids);
    }

    [Fact]
    public async Task UncommittedTransactionRollsBack()
    {
        var id = await _store.WriteAsync(tx => tx.AddFolder("INBOX"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.WriteAsync(tx =>
        {
            tx.PutMapping(id, new MappedMessage(1, 1, FlagSet.Empty, null, 1, DateTimeOffset.UnixEpoch, null, null));
            throw new InvalidOperationException("crash before commit");
        }));

        Assert.Empty(await _store.ReadAsync(tx => tx.GetMappings(id)));
        Assert.Equal(0, await _store.ReadAsync(tx => tx.CountMappings()));
    }

    [Fact]
    public async Task PutMappingReplacesEitherUid()
    {
        var id = await _store.WriteAsync(tx => tx.AddFolder("INBOX"));
        var date = DateTimeOffset.UnixEpoch;
        await _store.WriteAsync(tx =>
        {
            tx.PutMapping(id, new MappedMessage(1, 10, FlagSet.Empty, null, 1, date, null, null));
            tx.PutMapping(id, new MappedMessage(1, 11, FlagSet.Empty, null, 1, date, null, null));
            tx.PutMapping(id, new MappedMessage(2, 11, FlagSet.Empty, null, 1, date, null, null));
        });

        var only = Assert.Single(await _store.ReadAsync(tx => tx.GetMappings(id)));
        Assert.Equal((2u, 11u), (only.Uid0, only.Uid1));
    }

    [Fact]
    public async Task DeletingAFolderDropsItsMappingAndSideStates()
    {
        var id = await _store.WriteAsync(tx => tx.AddFolder("Old"));
        await _store.WriteAsync(tx =>
        {
            tx.SetSideState(id, 0, new SideState(1, 2, 3, 4));
            tx.PutMapping(id, new MappedMessage(1, 1, FlagSet.Empty, null, 1, DateTimeOffset.UnixEpoch, null, null));
        });
        await _store.WriteAsync(tx => tx.DeleteFolder(id));

        Assert.Empty(await _store.ReadAsync(tx => tx.GetFolders()));
        Assert.Equal(0, await _store.ReadAsync(tx => tx.CountMappings()));
    }

    [Fact]
    public async Task NewerSchemaIsRefused()
    {
        await _store.WriteAsync(tx => tx.AddFolder("x"));
        await _store.DisposeAsync();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value='99' WHERE key='schema'";
            await command.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<InvalidDataException>(() => SyncStateStore.OpenAsync(_path));
        _store = await ReopenFixedAsync();
    }

    private async Task<SyncStateStore> ReopenFixedAsync()
    {
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value='1' WHERE key='schema'";
            await command.ExecuteNonQueryAsync();
        }
        return await SyncStateStore.OpenAsync(_path);
    }
}
