using Microsoft.Data.Sqlite;

namespace ImapProxy.Upstream.Sync.State;

/// <summary>
/// The synchroniser's persistent state for one account, in SQLite (WAL): folder pairs, each side's status as last
/// synced, the UID mapping with base flags, and the intent journal. Side 0 is upstream, side 1 local, but nothing
/// here depends on it. One connection, one writer at a time; every change happens in a <see cref="StateTransaction"/>.
/// </summary>
public sealed class SyncStateStore : IAsyncDisposable
{
    private const int SchemaVersion = 1;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS folders(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            stopped TEXT NULL);
        CREATE TABLE IF NOT EXISTS side_state(
            folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
            side INTEGER NOT NULL CHECK (side IN (0, 1)),
            uidvalidity INTEGER NOT NULL,
            uidnext INTEGER NOT NULL,
            highestmodseq INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (folder_id, side));
        CREATE TABLE IF NOT EXISTS mapping(
            folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
            uid0 INTEGER NOT NULL,
            uid1 INTEGER NOT NULL,
            flags TEXT NULL,
            message_id TEXT NULL,
            size INTEGER NOT NULL,
            internal_date INTEGER NOT NULL,
            key0 TEXT NULL,
            key1 TEXT NULL,
            PRIMARY KEY (folder_id, uid0),
            UNIQUE (folder_id, uid1));
        CREATE TABLE IF NOT EXISTS journal(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            folder_id INTEGER NOT NULL,
            intent TEXT NOT NULL,
            created INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS run_log(
            folder TEXT PRIMARY KEY,
            last_success INTEGER NULL,
            last_attempt INTEGER NOT NULL,
            last_error TEXT NULL);
        """;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SyncStateStore(SqliteConnection connection) => _connection = connection;

    // run_log (when each folder and the account last synced, and the last error) came after schema 1 shipped; it is
    // created with IF NOT EXISTS on open, so older state files gain it and the schema version stays 1.

    /// <summary>Opens (creating if needed) the state database at <paramref name="path"/>.</summary>
    public static async Task<SyncStateStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // FULL, not NORMAL. Under NORMAL a WAL commit is not fsynced, so power loss can take back the last
            // transactions while what they led to stands: an upstream server has made its side durable on its own
            // disk. Lost mappings alone would be harmless (the next run pairs unmapped messages by content and the
            // journal finds copies), but a lost *intent* is not: a two-step upstream expunge (STORE \Deleted, then
            // EXPUNGE) cut by the outage would come back as a \Deleted flag change and be spread to the other side,
            // the very case the journal exists to finish. And FULL is cheap now: a batch copy commits the state
            // twice per 256 messages (intent, then mappings), so its fsyncs are no longer the initial sync's cost.
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
            Execute(connection, Schema);
            var version = Scalar(connection, "SELECT value FROM meta WHERE key='schema'");
            if (version is null)
            {
                Execute(connection, $"INSERT INTO meta(key, value) VALUES('schema', '{SchemaVersion}')");
            }
            else if (version != SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new InvalidDataException($"sync state {path}: schema version {version}, expected {SchemaVersion}");
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new SyncStateStore(connection);
    }

    /// <summary>
    /// Opens an existing state database for reading only (for reports while a sync owns it): nothing is created or
    /// migrated, and writes fail. Returns null when there is no state file yet.
    /// </summary>
    public static async Task<SyncStateStore?> OpenReadOnlyAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return new SyncStateStore(connection);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }

    /// <summary>Starts a transaction; only one is open at a time (callers queue).</summary>
    public async Task<StateTransaction> BeginAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new StateTransaction(_connection, _connection.BeginTransaction(), () => _gate.Release());
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>Runs a read-only query in its own transaction.</summary>
    public async Task<T> ReadAsync<T>(Func<StateTransaction, T> read, CancellationToken cancellationToken = default)
    {
        await using var tx = await BeginAsync(cancellationToken).ConfigureAwait(false);
        return read(tx);
    }

    /// <summary>Runs changes in one transaction and commits them.</summary>
    public async Task WriteAsync(Action<StateTransaction> write, CancellationToken cancellationToken = default)
    {
        await using var tx = await BeginAsync(cancellationToken).ConfigureAwait(false);
        write(tx);
        tx.Commit();
    }

    /// <summary>Runs changes in one transaction, commits them and returns a result.</summary>
    public async Task<T> WriteAsync<T>(Func<StateTransaction, T> write, CancellationToken cancellationToken = default)
    {
        await using var tx = await BeginAsync(cancellationToken).ConfigureAwait(false);
        var result = write(tx);
        tx.Commit();
        return result;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
