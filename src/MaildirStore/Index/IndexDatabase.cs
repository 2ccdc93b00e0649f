using Microsoft.Data.Sqlite;

namespace ImapProxy.Store.Index;

/// <summary>
/// The account's SQLite index (WAL, synchronous=FULL). One connection, used under one async lock; statements are
/// prepared once and reused; batches run in one transaction. A file that is not a SQLite database or has another
/// schema is moved aside and a fresh index is made (callers then re-adopt the Maildir with new UIDVALIDITYs).
/// </summary>
internal sealed partial class IndexDatabase : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Statements _statements;

    private IndexDatabase(SqliteConnection connection, bool rebuilt)
    {
        _connection = connection;
        _statements = new Statements(connection);
        WasRebuilt = rebuilt;
    }

    /// <summary>True if the index was missing, corrupt or foreign and has been created afresh.</summary>
    public bool WasRebuilt { get; }

    public static async Task<IndexDatabase> OpenAsync(string path, CancellationToken cancellationToken)
    {
        bool existed = File.Exists(path);
        try
        {
            var connection = await OpenConnectionAsync(path, cancellationToken).ConfigureAwait(false);
            if (await HasCurrentSchemaAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                await ExecuteAsync(connection, IndexSchema.Upgrade, cancellationToken).ConfigureAwait(false);
                await DropStaleSortFieldsAsync(connection, cancellationToken).ConfigureAwait(false);
                return new IndexDatabase(connection, rebuilt: false);
            }
            if (await IsEmptyAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                await CreateSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
                return new IndexDatabase(connection, rebuilt: existed);
            }
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (SqliteException)
        {
            // Not a database, or corrupt: fall through and rebuild.
        }
        MoveAside(path);
        var fresh = await OpenConnectionAsync(path, cancellationToken).ConfigureAwait(false);
        await CreateSchemaAsync(fresh, cancellationToken).ConfigureAwait(false);
        return new IndexDatabase(fresh, rebuilt: true);
    }

    private static async Task<SqliteConnection> OpenConnectionAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = false,
            Mode = SqliteOpenMode.ReadWriteCreate,
        }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;", cancellationToken)
                .ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<bool> HasCurrentSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)) == 0) return false;
        command.CommandText = "SELECT value FROM meta WHERE key='schema'";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string == IndexSchema.Version;
    }

    private static async Task<bool> IsEmptyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)) == 0;
    }

    private static async Task CreateSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = IndexSchema.Create + $"INSERT INTO meta(key, value) VALUES('schema', '{IndexSchema.Version}');" +
                              $"INSERT INTO meta(key, value) VALUES('sort_fields', '{IndexSchema.SortFieldsVersion}');";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rows made by another version of <see cref="SortFields.FromHeader"/> go; SORT computes them again.</summary>
    private static async Task DropStaleSortFieldsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key='sort_fields'";
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string == IndexSchema.SortFieldsVersion) return;
        command.CommandText = "BEGIN; DELETE FROM sort_fields; " +
                              $"INSERT OR REPLACE INTO meta(key, value) VALUES('sort_fields', '{IndexSchema.SortFieldsVersion}'); COMMIT;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void MoveAside(string path)
    {
        string aside = $"{path}.corrupt-{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        if (File.Exists(path)) File.Move(path, aside);
        foreach (var suffix in new[] { "-wal", "-shm", "-journal" })
        {
            if (File.Exists(path + suffix)) File.Move(path + suffix, aside + suffix);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _statements.Dispose();
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
