using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ImapProxy.Store.Index;

internal sealed partial class IndexDatabase
{
    /// <summary>
    /// Reads the sort fields of <paramref name="uids"/> (ascending) into <paramref name="result"/> (same positions;
    /// null where the index has no row) with one range query, reading only the columns of <paramref name="parts"/>.
    /// </summary>
    public Task LoadSortFieldsAsync(long folderId, IReadOnlyList<uint> uids, SortFieldParts parts, SortFields?[] result,
        CancellationToken cancellationToken) =>
        WithLockAsync(() =>
        {
            ReadSortFields(folderId, uids, parts, result, cancellationToken);
            return Task.FromResult(true);
        }, cancellationToken);

    /// <summary>Stores sort fields computed after ingest (for messages indexed before the table existed).</summary>
    public Task<int> SetSortFieldsAsync(long folderId, IReadOnlyList<(uint Uid, SortFields Fields)> rows, CancellationToken cancellationToken) =>
        WithLockAsync(async () =>
        {
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (uid, fields) in rows) _statements.InsertSortFields(tx, folderId, uid, fields);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return rows.Count;
        }, cancellationToken);

    private void ReadSortFields(long folderId, IReadOnlyList<uint> uids, SortFieldParts parts, SortFields?[] result, CancellationToken cancellationToken)
    {
        if (uids.Count == 0) return;
        string sql = "SELECT uid, " + Column(parts, SortFieldParts.Date, "sent_date") + ", " + Column(parts, SortFieldParts.Subject, "subject") +
                     ", " + Column(parts, SortFieldParts.From, "from_mailbox") + ", " + Column(parts, SortFieldParts.To, "to_mailbox") +
                     ", " + Column(parts, SortFieldParts.Cc, "cc_mailbox") + ", " + Column(parts, SortFieldParts.Threading, "message_id") +
                     ", " + Column(parts, SortFieldParts.Threading, "in_reply_to") + ", " + Column(parts, SortFieldParts.Threading, "refs") +
                     " FROM sort_fields WHERE folder_id=?1 AND uid BETWEEN ?2 AND ?3 ORDER BY uid";
        var db = _connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out sqlite3_stmt statement), db);
        using (statement)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 1, folderId), db);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 2, uids[0]), db);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 3, uids[^1]), db);
            int next = 0; // merge: both the rows and the asked UIDs ascend
            while (next < uids.Count)
            {
                int rc = raw.sqlite3_step(statement);
                if (rc == raw.SQLITE_DONE) break;
                if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, db);
                cancellationToken.ThrowIfCancellationRequested();
                uint uid = (uint)raw.sqlite3_column_int64(statement, 0);
                while (next < uids.Count && uids[next] < uid) next++;
                if (next == uids.Count || uids[next] != uid) continue;
                result[next++] = new SortFields
                {
                    SentDateUtcTicks = raw.sqlite3_column_type(statement, 1) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(statement, 1),
                    Subject = Text(statement, 2) ?? "",
                    FromMailbox = Text(statement, 3) ?? "",
                    ToMailbox = Text(statement, 4) ?? "",
                    CcMailbox = Text(statement, 5) ?? "",
                    MessageId = Text(statement, 6),
                    InReplyTo = Text(statement, 7),
                    References = Text(statement, 8),
                };
            }
        }
    }

    /// <summary>A TEXT column by its byte length (so a NUL inside a header value survives), or null.</summary>
    private static string? Text(sqlite3_stmt statement, int column) =>
        raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL ? null
            : raw.sqlite3_column_bytes(statement, column) == 0 ? ""
            : Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, column));

    private static string Column(SortFieldParts asked, SortFieldParts part, string name) => (asked & part) != 0 ? name : "NULL";
}
