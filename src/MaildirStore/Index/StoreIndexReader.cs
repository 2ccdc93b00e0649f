using Microsoft.Data.Sqlite;

namespace ImapProxy.Store;

/// <summary>A folder as its index last recorded it: status and messages, without looking at the Maildir.</summary>
/// <param name="Name">The folder's name.</param>
/// <param name="Status">UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and counts as indexed.</param>
/// <param name="Messages">The indexed messages in UID order.</param>
public sealed record IndexedFolder(string Name, FolderStatus Status, IReadOnlyList<MessageInfo> Messages);

/// <summary>
/// Reads an account's index read-only, for reports (<c>imapproxy status</c>) while another process owns the store.
/// </summary>
/// <remarks>
/// Opening an <see cref="AccountStore"/> is not an option then: opening folders ingests new files and hands out UIDs
/// from an in-memory UIDNEXT, which two processes must never do at once. This reader takes no lock and writes
/// nothing; what it shows is the index as of its last scan (files dropped into the Maildir since are not counted).
/// </remarks>
public static class StoreIndexReader
{
    /// <summary>Reads every folder of the index at <paramref name="indexPath"/>; null when there is no index yet.</summary>
    /// <exception cref="StoreIOException">The file exists but is not a readable index.</exception>
    public static async Task<IReadOnlyList<IndexedFolder>?> ReadAsync(string indexPath, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(indexPath)) return null;
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = indexPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false,
            }.ToString());
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // One read transaction: folders and messages from the same moment.
            await using var tx = connection.BeginTransaction(deferred: true);
            var folders = new List<(long Id, string Name, uint UidValidity, uint UidNext, ulong HighestModSeq)>();
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = tx;
                command.CommandText = "SELECT id, name, uidvalidity, uidnext, highestmodseq FROM folders ORDER BY name";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    folders.Add((reader.GetInt64(0), reader.GetString(1), (uint)reader.GetInt64(2), (uint)reader.GetInt64(3), (ulong)reader.GetInt64(4)));
                }
            }
            var result = new List<IndexedFolder>(folders.Count);
            foreach (var folder in folders)
            {
                var messages = await ReadMessagesAsync(connection, tx, folder.Id, cancellationToken).ConfigureAwait(false);
                var unseen = messages.Count(m => (m.Flags & MessageFlags.Seen) == 0);
                result.Add(new IndexedFolder(folder.Name,
                    new FolderStatus(folder.UidValidity, folder.UidNext, folder.HighestModSeq, messages.Count, unseen), messages));
            }
            return result;
        }
        catch (SqliteException e)
        {
            throw new StoreIOException($"Cannot read the mail store index {indexPath}: {e.Message}", e);
        }
    }

    private static async Task<List<MessageInfo>> ReadMessagesAsync(SqliteConnection connection, SqliteTransaction tx, long folderId,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT uid, flags, keywords, modseq, internaldate, size FROM messages WHERE folder_id=$f ORDER BY uid";
        command.Parameters.AddWithValue("$f", folderId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var messages = new List<MessageInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string[] keywords = reader.IsDBNull(2) ? [] : reader.GetString(2).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            messages.Add(new MessageInfo((uint)reader.GetInt64(0), (MessageFlags)reader.GetInt64(1), keywords,
                (ulong)reader.GetInt64(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), reader.GetInt64(5)));
        }
        return messages;
    }
}
