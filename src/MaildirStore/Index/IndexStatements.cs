using Microsoft.Data.Sqlite;

namespace ImapProxy.Store.Index;

internal sealed partial class IndexDatabase
{
    /// <summary>The statements every batch uses, prepared once per connection.</summary>
    private sealed class Statements : IDisposable
    {
        public readonly SqliteCommand InsertMessage;
        public readonly SqliteCommand InsertCache;
        public readonly SqliteCommand UpdateMessage;
        public readonly SqliteCommand DeleteMessage;
        public readonly SqliteCommand DeleteCache;
        public readonly SqliteCommand InsertSort;
        public readonly SqliteCommand DeleteSort;
        public readonly SqliteCommand InsertTombstone;
        public readonly SqliteCommand UpdateFolder;
        public readonly SqliteCommand DropState;

        public Statements(SqliteConnection connection)
        {
            InsertMessage = Make(connection,
                "INSERT OR REPLACE INTO messages(folder_id, uid, filename, in_new, flags, keywords, modseq, internaldate, size) " +
                "VALUES($f, $uid, $name, $new, $flags, $kw, $modseq, $date, $size)",
                "$f", "$uid", "$name", "$new", "$flags", "$kw", "$modseq", "$date", "$size");
            InsertCache = Make(connection,
                "INSERT OR REPLACE INTO message_cache(folder_id, uid, message_id, envelope, bodystructure, body) " +
                "VALUES($f, $uid, $mid, $env, $bs, $body)",
                "$f", "$uid", "$mid", "$env", "$bs", "$body");
            UpdateMessage = Make(connection,
                "UPDATE messages SET filename=$name, in_new=$new, flags=$flags, keywords=$kw, modseq=$modseq WHERE folder_id=$f AND uid=$uid",
                "$f", "$uid", "$name", "$new", "$flags", "$kw", "$modseq");
            DeleteMessage = Make(connection, "DELETE FROM messages WHERE folder_id=$f AND uid=$uid", "$f", "$uid");
            DeleteCache = Make(connection, "DELETE FROM message_cache WHERE folder_id=$f AND uid=$uid", "$f", "$uid");
            InsertSort = Make(connection,
                "INSERT OR REPLACE INTO sort_fields(folder_id, uid, sent_date, subject, from_mailbox, to_mailbox, cc_mailbox, message_id, in_reply_to, refs) " +
                "VALUES($f, $uid, $date, $subject, $from, $to, $cc, $mid, $irt, $refs)",
                "$f", "$uid", "$date", "$subject", "$from", "$to", "$cc", "$mid", "$irt", "$refs");
            DeleteSort = Make(connection, "DELETE FROM sort_fields WHERE folder_id=$f AND uid=$uid", "$f", "$uid");
            InsertTombstone = Make(connection,
                "INSERT OR REPLACE INTO expunged(folder_id, uid, modseq) VALUES($f, $uid, $modseq)", "$f", "$uid", "$modseq");
            UpdateFolder = Make(connection,
                "UPDATE folders SET uidnext=$next, highestmodseq=$hms, new_mtime=$nm, cur_mtime=$cm, scanned_at=$sa WHERE id=$f",
                "$f", "$next", "$hms", "$nm", "$cm", "$sa");
            DropState = Make(connection, "DELETE FROM folder_state WHERE folder_id=$f", "$f");
        }

        private static SqliteCommand Make(SqliteConnection connection, string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            command.Prepare();
            return command;
        }

        public void InsertSortFields(SqliteTransaction tx, long folderId, uint uid, SortFields s) =>
            Bind(InsertSort, tx, folderId, (long)uid, s.SentDateUtcTicks, s.Subject, s.FromMailbox, s.ToMailbox, s.CcMailbox,
                s.MessageId, s.InReplyTo, s.References).ExecuteNonQuery();

        public static SqliteCommand Bind(SqliteCommand command, SqliteTransaction tx, params object?[] values)
        {
            command.Transaction = tx;
            for (int i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
            return command;
        }

        public void Dispose()
        {
            foreach (var command in new[] { InsertMessage, InsertCache, UpdateMessage, DeleteMessage, DeleteCache, InsertSort, DeleteSort, InsertTombstone, UpdateFolder, DropState })
                command.Dispose();
        }
    }
}
