using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ImapProxy.Store.Index;

/// <summary>The fast open path: a folder's packed state, and its file names loaded apart from it.</summary>
internal sealed partial class IndexDatabase
{
    /// <summary>The folder's messages from its state blob (file names not loaded), or null if there is none valid.</summary>
    public Task<List<MessageEntry>?> LoadStateAsync(FolderRow folder, CancellationToken cancellationToken) => WithLockAsync(() =>
    {
        List<MessageEntry>? result = null;
        Step("SELECT data FROM folder_state WHERE folder_id=?1", folder.Id, statement =>
            result = FolderStateBlob.Decode(raw.sqlite3_column_blob(statement, 0), folder.HighestModSeq, folder.UidNext));
        return Task.FromResult(result);
    }, cancellationToken);

    public Task<bool> SaveStateAsync(long folderId, byte[] blob, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO folder_state(folder_id, data) VALUES($f, $d)";
        command.Parameters.AddWithValue("$f", folderId);
        command.Parameters.AddWithValue("$d", blob);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }, cancellationToken);

    /// <summary>Every message's file name and directory, in UID order.</summary>
    public Task<List<(uint Uid, string FileName, bool InNew)>> LoadNamesAsync(long folderId, CancellationToken cancellationToken) =>
        WithLockAsync(() =>
        {
            var result = new List<(uint, string, bool)>();
            Step("SELECT uid, filename, in_new FROM messages WHERE folder_id=?1 ORDER BY uid", folderId, statement =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                result.Add(((uint)raw.sqlite3_column_int64(statement, 0), raw.sqlite3_column_text(statement, 1).utf8_to_string(),
                    raw.sqlite3_column_int64(statement, 2) != 0));
            });
            return Task.FromResult(result);
        }, cancellationToken);

    /// <summary>One message's file name and directory (while the folder's names are not loaded).</summary>
    public Task<(string FileName, bool InNew)?> GetFileNameAsync(long folderId, uint uid, CancellationToken cancellationToken) =>
        WithLockAsync(async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT filename, in_new FROM messages WHERE folder_id=$f AND uid=$u";
            command.Parameters.AddWithValue("$f", folderId);
            command.Parameters.AddWithValue("$u", (long)uid);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return ((string, bool)?)null;
            return (reader.GetString(0), reader.GetInt64(1) != 0);
        }, cancellationToken);

    /// <summary>
    /// Runs a one-parameter query and calls <paramref name="onRow"/> per row, stepping the statement through
    /// SQLitePCL directly: Microsoft.Data.Sqlite's reader costs several times more per column on 100,000 rows.
    /// </summary>
    private void Step(string sql, long parameter, Action<sqlite3_stmt> onRow)
    {
        var db = _connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out sqlite3_stmt statement), db);
        using (statement)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 1, parameter), db);
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW) onRow(statement);
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
