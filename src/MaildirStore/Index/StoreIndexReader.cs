using ImapProxy.Store.Index;
using ImapProxy.Store.Maildir;
using Microsoft.Data.Sqlite;

namespace ImapProxy.Store;

/// <summary>A folder as its index recorded it, brought up to what its Maildir holds now.</summary>
/// <param name="Name">The folder's name.</param>
/// <param name="Status">UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and counts as indexed.</param>
/// <param name="Messages">The indexed messages in UID order.</param>
/// <param name="UnindexedFiles">
/// Message files in the Maildir the index does not know yet (dropped in or copied by another program).
/// </param>
public sealed record IndexedFolder(string Name, FolderStatus Status, IReadOnlyList<MessageInfo> Messages, int UnindexedFiles);

/// <summary>
/// Reads an account's index read-only, for reports (<c>imapproxy status</c>) while another process owns the store.
/// </summary>
/// <remarks>
/// Opening an <see cref="AccountStore"/> is not an option then: opening folders ingests new files and hands out UIDs
/// from an in-memory UIDNEXT, which two processes must never do at once. This reader takes no lock and writes
/// nothing. It also lists the Maildir, so renames, deletions and new files made since the last scan count.
/// </remarks>
public static class StoreIndexReader
{
    /// <summary>
    /// Reads every folder of the index at <paramref name="indexPath"/> as the Maildir at <paramref name="maildirRoot"/>
    /// holds it now: messages whose files are gone are left out, flags come from the current file names, and each
    /// folder counts the files its index does not know. Folders on disk the index has never seen are included with
    /// UIDVALIDITY 0. Null when there is no index yet.
    /// </summary>
    /// <exception cref="StoreIOException">The index is unreadable or a Maildir directory cannot be listed.</exception>
    public static async Task<IReadOnlyList<IndexedFolder>?> ReadAsync(string indexPath, string maildirRoot,
        MaildirLayout layout, CancellationToken cancellationToken = default)
    {
        var folders = await ReadIndexAsync(indexPath, cancellationToken).ConfigureAwait(false);
        if (folders is null) return null;
        var names = new FolderNames(maildirRoot, layout);
        var result = new List<IndexedFolder>(folders.Count);
        foreach (var folder in folders)
        {
            var (messages, unindexed) = MaildirDrift.Apply(names.PathOf(folder.Name), folder.Files);
            var unseen = messages.Count(m => (m.Flags & MessageFlags.Seen) == 0);
            result.Add(new IndexedFolder(folder.Name,
                new FolderStatus(folder.UidValidity, folder.UidNext, folder.HighestModSeq, messages.Count + unindexed, unseen),
                messages, unindexed));
        }
        var known = folders.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        List<FolderInfo> onDisk;
        try
        {
            onDisk = names.ListOnDisk();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreIOException($"Cannot list the folders of {maildirRoot}: {e.Message}", e);
        }
        foreach (var folder in onDisk.Where(f => f.Selectable && !known.Contains(f.Name)))
        {
            var files = MaildirDrift.CountFiles(names.PathOf(folder.Name));
            result.Add(new IndexedFolder(folder.Name, new FolderStatus(0, 1, 0, files, files), [], files));
        }
        return result;
    }

    /// <summary>One folder row of the index with its messages.</summary>
    private sealed record IndexedRows(string Name, uint UidValidity, uint UidNext, ulong HighestModSeq, List<IndexedFile> Files);

    private static async Task<List<IndexedRows>?> ReadIndexAsync(string indexPath, CancellationToken cancellationToken)
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
            var result = new List<IndexedRows>(folders.Count);
            foreach (var folder in folders)
            {
                var files = await ReadMessagesAsync(connection, tx, folder.Id, cancellationToken).ConfigureAwait(false);
                result.Add(new IndexedRows(folder.Name, folder.UidValidity, folder.UidNext, folder.HighestModSeq, files));
            }
            return result;
        }
        catch (SqliteException e)
        {
            throw new StoreIOException($"Cannot read the mail store index {indexPath}: {e.Message}", e);
        }
    }

    private static async Task<List<IndexedFile>> ReadMessagesAsync(SqliteConnection connection, SqliteTransaction tx, long folderId,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT uid, flags, keywords, modseq, internaldate, size, filename FROM messages WHERE folder_id=$f ORDER BY uid";
        command.Parameters.AddWithValue("$f", folderId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var messages = new List<IndexedFile>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string[] keywords = reader.IsDBNull(2) ? [] : reader.GetString(2).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            messages.Add(new IndexedFile(new MessageInfo((uint)reader.GetInt64(0), (MessageFlags)reader.GetInt64(1), keywords,
                (ulong)reader.GetInt64(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), reader.GetInt64(5)),
                reader.GetString(6)));
        }
        return messages;
    }
}
