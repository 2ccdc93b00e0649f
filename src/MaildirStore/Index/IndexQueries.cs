using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ImapProxy.Store.Index;

internal sealed partial class IndexDatabase
{
    private async Task<T> WithLockAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try { return await action().ConfigureAwait(false); }
        finally { _gate.Release(); }
    }

    public Task<string?> GetMetaAsync(string key, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key=$k";
        command.Parameters.AddWithValue("$k", key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }, cancellationToken);

    public Task<bool> SetMetaAsync(string key, string value, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO meta(key, value) VALUES($k, $v)";
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }, cancellationToken);

    public Task<FolderRow?> GetFolderAsync(string name, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, name, uidvalidity, uidnext, highestmodseq, new_mtime, cur_mtime, scanned_at FROM folders WHERE name=$n";
        command.Parameters.AddWithValue("$n", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new FolderRow
        {
            Id = reader.GetInt64(0), Name = reader.GetString(1), UidValidity = (uint)reader.GetInt64(2),
            UidNext = (uint)reader.GetInt64(3), HighestModSeq = (ulong)reader.GetInt64(4),
            NewMtime = reader.GetInt64(5), CurMtime = reader.GetInt64(6), ScannedAt = reader.GetInt64(7),
        };
    }, cancellationToken);

    public Task<FolderRow> InsertFolderAsync(string name, uint uidValidity, uint uidNext, CancellationToken cancellationToken) =>
        WithLockAsync(async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO folders(name, uidvalidity, uidnext, highestmodseq) VALUES($n, $v, $u, 1) RETURNING id";
            command.Parameters.AddWithValue("$n", name);
            command.Parameters.AddWithValue("$v", (long)uidValidity);
            command.Parameters.AddWithValue("$u", (long)uidNext);
            long id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false));
            // A build without the sort_fields table may have deleted a folder whose id SQLite now hands out again.
            command.CommandText = "DELETE FROM sort_fields WHERE folder_id=$id";
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new FolderRow { Id = id, Name = name, UidValidity = uidValidity, UidNext = uidNext, HighestModSeq = 1 };
        }, cancellationToken);

    public Task<int> DeleteFolderAsync(long folderId, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.Parameters.AddWithValue("$f", folderId);
        command.CommandText = "DELETE FROM messages WHERE folder_id=$f; DELETE FROM message_cache WHERE folder_id=$f; DELETE FROM sort_fields WHERE folder_id=$f; " +
                              "DELETE FROM expunged WHERE folder_id=$f; DELETE FROM folder_state WHERE folder_id=$f; " +
                              "DELETE FROM folder_recent WHERE folder_id=$f; DELETE FROM folders WHERE id=$f;";
        int n = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return n;
    }, cancellationToken);

    /// <summary>Renames the folder and its children (<c>old/…</c>) in one transaction.</summary>
    public Task<int> RenameFolderTreeAsync(string oldName, string newName, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "UPDATE folders SET name = $new || substr(name, $len + 1) WHERE name = $old OR substr(name, 1, $len + 1) = $old || '/'";
        command.Parameters.AddWithValue("$new", newName);
        command.Parameters.AddWithValue("$old", oldName);
        command.Parameters.AddWithValue("$len", oldName.Length);
        int n = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return n;
    }, cancellationToken);

    /// <summary>All messages of a folder in UID order, with their file names (the open path without a valid state blob).</summary>
    public Task<List<MessageEntry>> LoadMessagesAsync(long folderId, CancellationToken cancellationToken) =>
        WithLockAsync(() => Task.FromResult(ReadMessages(folderId, cancellationToken)), cancellationToken);

    private List<MessageEntry> ReadMessages(long folderId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT uid, filename, in_new, flags, keywords, modseq, internaldate, size FROM messages WHERE folder_id=?1 ORDER BY uid";
        var result = new List<MessageEntry>();
        var keywordLists = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Step(sql, folderId, statement =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            string[] keywords = [];
            if (raw.sqlite3_column_type(statement, 4) != raw.SQLITE_NULL)
            {
                string text = raw.sqlite3_column_text(statement, 4).utf8_to_string();
                if (!keywordLists.TryGetValue(text, out keywords!))
                    keywordLists[text] = keywords = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
            result.Add(new MessageEntry
            {
                Uid = (uint)raw.sqlite3_column_int64(statement, 0),
                FileName = raw.sqlite3_column_text(statement, 1).utf8_to_string(),
                InNew = raw.sqlite3_column_int64(statement, 2) != 0,
                Flags = (MessageFlags)raw.sqlite3_column_int64(statement, 3),
                Keywords = keywords,
                ModSeq = (ulong)raw.sqlite3_column_int64(statement, 5),
                InternalDate = raw.sqlite3_column_int64(statement, 6),
                Size = raw.sqlite3_column_int64(statement, 7),
            });
        });
        return result;
    }

    public Task<CachedAnalysis?> GetCacheAsync(long folderId, uint uid, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT message_id, envelope, bodystructure, body FROM message_cache WHERE folder_id=$f AND uid=$u";
        command.Parameters.AddWithValue("$f", folderId);
        command.Parameters.AddWithValue("$u", (long)uid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        var sort = new SortFields?[1];
        ReadSortFields(folderId, [uid], SortFieldParts.All, sort, cancellationToken);
        return new CachedAnalysis(
            reader.IsDBNull(1) ? null : (byte[])reader[1], reader.IsDBNull(2) ? null : (byte[])reader[2],
            reader.IsDBNull(3) ? null : (byte[])reader[3], reader.IsDBNull(0) ? null : reader.GetString(0), sort[0]);
    }, cancellationToken);

    public Task<List<uint>> GetExpungedSinceAsync(long folderId, ulong modSeq, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT uid FROM expunged WHERE folder_id=$f AND modseq > $m ORDER BY uid";
        command.Parameters.AddWithValue("$f", folderId);
        command.Parameters.AddWithValue("$m", (long)modSeq);
        var result = new List<uint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) result.Add((uint)reader.GetInt64(0));
        return result;
    }, cancellationToken);

    /// <summary>Writes the folder's header and the message changes in one transaction.</summary>
    public Task<int> CommitAsync(FolderRow folder, IReadOnlyList<IndexOp> ops, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long f = folder.Id;
        foreach (var op in ops)
        {
            switch (op)
            {
                case IndexOp.Insert(var e, var a):
                    Statements.Bind(_statements.InsertMessage, tx, f, (long)e.Uid, e.FileName, e.InNew ? 1 : 0, (long)e.Flags,
                        KeywordText(e.Keywords), (long)e.ModSeq, e.InternalDate, e.Size).ExecuteNonQuery();
                    if (a.IsAnalyzed)
                    {
                        Statements.Bind(_statements.InsertCache, tx, f, (long)e.Uid, a.MessageId, a.Envelope, a.BodyStructure, a.Body).ExecuteNonQuery();
                        if (a.Sort is { } sort) _statements.InsertSortFields(tx, f, e.Uid, sort);
                    }
                    break;
                case IndexOp.Update(var e):
                    Statements.Bind(_statements.UpdateMessage, tx, f, (long)e.Uid, e.FileName, e.InNew ? 1 : 0, (long)e.Flags,
                        KeywordText(e.Keywords), (long)e.ModSeq).ExecuteNonQuery();
                    break;
                case IndexOp.Expunge(var uid, var modSeq):
                    Statements.Bind(_statements.DeleteMessage, tx, f, (long)uid).ExecuteNonQuery();
                    Statements.Bind(_statements.DeleteCache, tx, f, (long)uid).ExecuteNonQuery();
                    Statements.Bind(_statements.DeleteSort, tx, f, (long)uid).ExecuteNonQuery();
                    Statements.Bind(_statements.InsertTombstone, tx, f, (long)uid, (long)modSeq).ExecuteNonQuery();
                    break;
            }
        }
        Statements.Bind(_statements.UpdateFolder, tx, f, (long)folder.UidNext, (long)folder.HighestModSeq,
            folder.NewMtime, folder.CurMtime, folder.ScannedAt).ExecuteNonQuery();
        // Any change makes the packed state stale; dropping it here means a crash can never leave a stale one behind.
        if (ops.Count > 0) Statements.Bind(_statements.DropState, tx, f).ExecuteNonQuery();
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ops.Count;
    }, cancellationToken);

    public Task<int> SetCacheAsync(long folderId, uint uid, CachedAnalysis analysis, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int n = Statements.Bind(_statements.InsertCache, tx, folderId, (long)uid, analysis.MessageId, analysis.Envelope,
            analysis.BodyStructure, analysis.Body).ExecuteNonQuery();
        if (analysis.Sort is { } sort) _statements.InsertSortFields(tx, folderId, uid, sort);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return n;
    }, cancellationToken);

    private static string? KeywordText(string[] keywords) => keywords.Length == 0 ? null : string.Join(' ', keywords);
}
