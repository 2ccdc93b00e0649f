namespace ImapProxy.Store.Index;

/// <summary>The index's tables. One database per account; see <see cref="IndexDatabase"/>.</summary>
internal static class IndexSchema
{
    public const string Version = "1";

    /// <summary>Tables added since version 1 without changing its meaning (an older index gets them at open).</summary>
    public const string Upgrade = "CREATE TABLE IF NOT EXISTS folder_state(folder_id INTEGER PRIMARY KEY, data BLOB NOT NULL);" +
                                  "CREATE TABLE IF NOT EXISTS folder_recent(folder_id INTEGER PRIMARY KEY, first_recent_uid INTEGER NOT NULL);" +
                                  SortFieldsTable;

    /// <summary>
    /// The version of what <see cref="SortFields.FromHeader"/> extracts. Raise it when that changes (a fix to the
    /// date, address or encoded-word parsers included): an index holding another version drops its rows at open, and
    /// they are computed again from the files on the next SORT or THREAD.
    /// </summary>
    public const string SortFieldsVersion = "1";

    /// <summary>
    /// SORT and THREAD keys (<see cref="SortFields"/>), one row per analysed message. Added after version 1: rows of
    /// messages indexed before it are missing and are filled in from the files by the first SORT or THREAD that needs them.
    /// The long References value comes last, so scans of the other columns rarely touch overflow pages.
    /// </summary>
    private const string SortFieldsTable = """
        CREATE TABLE IF NOT EXISTS sort_fields(
            folder_id INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            sent_date INTEGER,
            subject TEXT NOT NULL,
            from_mailbox TEXT NOT NULL,
            to_mailbox TEXT NOT NULL,
            cc_mailbox TEXT NOT NULL,
            message_id TEXT,
            in_reply_to TEXT,
            refs TEXT,
            PRIMARY KEY(folder_id, uid)) WITHOUT ROWID;
        """;

    public const string Create = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE folders(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            uidvalidity INTEGER NOT NULL,
            uidnext INTEGER NOT NULL,
            highestmodseq INTEGER NOT NULL,
            new_mtime INTEGER NOT NULL DEFAULT 0,
            cur_mtime INTEGER NOT NULL DEFAULT 0,
            scanned_at INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE messages(
            folder_id INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            filename TEXT NOT NULL,
            in_new INTEGER NOT NULL,
            flags INTEGER NOT NULL,
            keywords TEXT,
            modseq INTEGER NOT NULL,
            internaldate INTEGER NOT NULL,
            size INTEGER NOT NULL,
            PRIMARY KEY(folder_id, uid)) WITHOUT ROWID;
        CREATE TABLE message_cache(
            folder_id INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            message_id TEXT,
            envelope BLOB,
            bodystructure BLOB,
            body BLOB,
            PRIMARY KEY(folder_id, uid));
        CREATE TABLE folder_state(folder_id INTEGER PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE folder_recent(folder_id INTEGER PRIMARY KEY, first_recent_uid INTEGER NOT NULL);
        CREATE TABLE expunged(
            folder_id INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            modseq INTEGER NOT NULL,
            PRIMARY KEY(folder_id, uid)) WITHOUT ROWID;
        """ + SortFieldsTable;
}
