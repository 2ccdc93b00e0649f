using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ImapProxy.Store.Index;

internal sealed partial class IndexDatabase
{
    /// <summary>
    /// The cached summaries of UIDs <paramref name="first"/>..<paramref name="last"/> in one range query, copied
    /// straight from SQLite's column buffers into <paramref name="batch"/>. Columns not asked for are not read.
    /// </summary>
    public Task LoadSummariesAsync(long folderId, uint first, uint last, SummaryParts parts, MessageSummaryBatch batch,
        CancellationToken cancellationToken) =>
        WithLockAsync(() =>
        {
            ReadSummaries(folderId, first, last, parts, batch, cancellationToken);
            return Task.FromResult(true);
        }, cancellationToken);

    private void ReadSummaries(long folderId, uint first, uint last, SummaryParts parts, MessageSummaryBatch batch, CancellationToken cancellationToken)
    {
        string sql = "SELECT uid, " + Column(parts, SummaryParts.Envelope, "envelope") + ", " +
                     Column(parts, SummaryParts.BodyStructure, "bodystructure") + ", " + Column(parts, SummaryParts.Body, "body") +
                     " FROM message_cache WHERE folder_id=?1 AND uid BETWEEN ?2 AND ?3 ORDER BY uid";
        batch.Clear();
        var db = _connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out sqlite3_stmt statement), db);
        using (statement)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 1, folderId), db);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 2, first), db);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 3, last), db);
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch.Add((uint)raw.sqlite3_column_int64(statement, 0),
                    raw.sqlite3_column_blob(statement, 1), raw.sqlite3_column_type(statement, 1) != raw.SQLITE_NULL,
                    raw.sqlite3_column_blob(statement, 2), raw.sqlite3_column_type(statement, 2) != raw.SQLITE_NULL,
                    raw.sqlite3_column_blob(statement, 3), raw.sqlite3_column_type(statement, 3) != raw.SQLITE_NULL);
            }
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    private static string Column(SummaryParts asked, SummaryParts part, string name) => (asked & part) != 0 ? name : "NULL";
}
