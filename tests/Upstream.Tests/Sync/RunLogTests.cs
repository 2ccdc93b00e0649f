using ImapProxy.Upstream.Sync.State;
using Microsoft.Data.Sqlite;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>The state's run log (last sync, last error) and reading a state file read-only or from before the log.</summary>
public sealed class RunLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imapproxy-runlog-").FullName;
    private string StatePath => Path.Combine(_dir, "state.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_failure_keeps_the_last_success_and_a_success_clears_the_error()
    {
        var t1 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var t2 = t1.AddMinutes(5);
        var t3 = t2.AddMinutes(5);
        await using (var store = await SyncStateStore.OpenAsync(StatePath))
        {
            await store.WriteAsync(tx => tx.RecordRun("INBOX", t1, null));
            await store.WriteAsync(tx => tx.RecordRun("INBOX", t2, "IOException: connection reset"));
            await store.WriteAsync(tx => tx.RecordRun(RunLogEntry.AccountKey, t2, "unreachable"));
            var log = await store.ReadAsync(tx => tx.GetRunLog());
            Assert.Equal(new RunLogEntry("INBOX", t1, t2, "IOException: connection reset"), log["INBOX"]);
            Assert.Equal(new RunLogEntry("", null, t2, "unreachable"), log[RunLogEntry.AccountKey]);

            await store.WriteAsync(tx => tx.RecordRun("INBOX", t3, null));
            Assert.Equal(new RunLogEntry("INBOX", t3, t3, null), (await store.ReadAsync(tx => tx.GetRunLog()))["INBOX"]);
        }
    }

    [Fact]
    public async Task A_state_file_from_before_the_run_log_opens_read_only_and_gains_the_log_when_opened_for_writing()
    {
        await using (var store = await SyncStateStore.OpenAsync(StatePath))
        {
            await store.WriteAsync(tx => tx.AddFolder("INBOX"));
        }
        await using (var connection = new SqliteConnection($"Data Source={StatePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE run_log";
            await drop.ExecuteNonQueryAsync();
        }

        await using (var old = await SyncStateStore.OpenReadOnlyAsync(StatePath))
        {
            Assert.NotNull(old);
            Assert.Empty(await old.ReadAsync(tx => tx.GetRunLog()));
            Assert.Equal("INBOX", Assert.Single(await old.ReadAsync(tx => tx.GetFolders())).Name);
            await Assert.ThrowsAsync<SqliteException>(() => old.WriteAsync(tx => tx.AddFolder("Sent")));
        }
        await using (var upgraded = await SyncStateStore.OpenAsync(StatePath))
        {
            await upgraded.WriteAsync(tx => tx.RecordRun("INBOX", DateTimeOffset.UnixEpoch, null));
            Assert.Single(await upgraded.ReadAsync(tx => tx.GetRunLog()));
        }
    }

    [Fact]
    public async Task Opening_read_only_creates_nothing()
    {
        Assert.Null(await SyncStateStore.OpenReadOnlyAsync(StatePath));
        Assert.False(File.Exists(StatePath));
    }
}
