using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ImapProxy.Upstream.Sync.State;

/// <summary>
/// One transaction on the <see cref="SyncStateStore"/>. Disposing without <see cref="Commit"/> rolls back, so a crash
/// between acting and recording leaves the journal entry in place.
/// </summary>
public sealed partial class StateTransaction : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Action _release;
    private bool _committed;

    // Each statement Execute runs is prepared once per transaction and re-bound after: a copied batch records up to
    // 256 mappings, and a flag sync or an expunge updates or deletes one row per message; a new command per row had
    // SQLite parse the same statement each time.
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    internal StateTransaction(SqliteConnection connection, SqliteTransaction transaction, Action release)
    {
        _connection = connection;
        _transaction = transaction;
        _release = release;
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    /// <summary>Runs a statement that returns no rows; the same <paramref name="sql"/> always comes with the same parameters in the same order.</summary>
    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        if (_prepared.TryGetValue(sql, out var command))
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
            }
        }
        else
        {
            command = Command(sql, parameters);
            _prepared.Add(sql, command);
        }
        return command.ExecuteNonQuery();
    }

    /// <summary>All folder pairs with their side states.</summary>
    public List<FolderPairState> GetFolders()
    {
        var sides = new Dictionary<(long, int), SideState>();
        using (var command = Command("SELECT folder_id, side, uidvalidity, uidnext, highestmodseq, count FROM side_state"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                sides[(reader.GetInt64(0), reader.GetInt32(1))] = new SideState(
                    (uint)reader.GetInt64(2), (uint)reader.GetInt64(3), (ulong)reader.GetInt64(4), reader.GetInt32(5));
            }
        }
        var folders = new List<FolderPairState>();
        using (var command = Command("SELECT id, name, stopped FROM folders ORDER BY name"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                folders.Add(new FolderPairState(
                    id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    sides.GetValueOrDefault((id, 0)), sides.GetValueOrDefault((id, 1))));
            }
        }
        return folders;
    }

    /// <summary>Adds a folder pair and returns its id.</summary>
    public long AddFolder(string name)
    {
        using var command = Command("INSERT INTO folders(name) VALUES($name) RETURNING id", ("$name", name));
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Renames a folder pair.</summary>
    public void RenameFolder(long id, string newName) =>
        Execute("UPDATE folders SET name=$name WHERE id=$id", ("$name", newName), ("$id", id));

    /// <summary>Forgets a folder pair with its mapping.</summary>
    public void DeleteFolder(long id) => Execute("DELETE FROM folders WHERE id=$id", ("$id", id));

    /// <summary>Stops a folder pair with a reason, or (null) lets it run again.</summary>
    public void SetStopped(long id, string? reason) =>
        Execute("UPDATE folders SET stopped=$reason WHERE id=$id", ("$reason", reason), ("$id", id));

    /// <summary>Records (or with null, forgets) a side's status for a folder pair.</summary>
    public void SetSideState(long id, int side, SideState? state)
    {
        if (state is null)
        {
            Execute("DELETE FROM side_state WHERE folder_id=$id AND side=$side", ("$id", id), ("$side", side));
            return;
        }
        Execute(
            "INSERT OR REPLACE INTO side_state(folder_id, side, uidvalidity, uidnext, highestmodseq, count) "
            + "VALUES($id, $side, $v, $n, $m, $c)",
            ("$id", id), ("$side", side), ("$v", (long)state.UidValidity), ("$n", (long)state.UidNext),
            ("$m", (long)state.HighestModSeq), ("$c", state.MessageCount));
    }

    /// <summary>The mapping of a folder pair.</summary>
    public List<MappedMessage> GetMappings(long folderId)
    {
        var list = new List<MappedMessage>();
        using var command = Command(
            "SELECT uid0, uid1, flags, message_id, size, internal_date, key0, key1 FROM mapping WHERE folder_id=$id ORDER BY uid0",
            ("$id", folderId));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new MappedMessage(
                (uint)reader.GetInt64(0), (uint)reader.GetInt64(1),
                reader.IsDBNull(2) ? null : FlagSet.Parse(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt64(4), DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return list;
    }

    /// <summary>Number of mapped messages over all folders.</summary>
    public long CountMappings()
    {
        using var command = Command("SELECT COUNT(*) FROM mapping");
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Records a mapping, replacing any that holds either UID.</summary>
    public void PutMapping(long folderId, MappedMessage m) =>
        Execute(
            "INSERT OR REPLACE INTO mapping(folder_id, uid0, uid1, flags, message_id, size, internal_date, key0, key1) "
            + "VALUES($f, $u0, $u1, $flags, $mid, $size, $date, $k0, $k1)",
            ("$f", folderId), ("$u0", (long)m.Uid0), ("$u1", (long)m.Uid1), ("$flags", m.BaseFlags?.ToString()),
            ("$mid", m.MessageId), ("$size", m.Size), ("$date", m.InternalDate.ToUnixTimeSeconds()),
            ("$k0", m.Key0), ("$k1", m.Key1));

    /// <summary>Removes the mapping holding <paramref name="uid"/> on <paramref name="side"/>.</summary>
    public void DeleteMapping(long folderId, int side, uint uid) =>
        Execute($"DELETE FROM mapping WHERE folder_id=$f AND uid{side}=$u", ("$f", folderId), ("$u", (long)uid));

    /// <summary>Removes a folder pair's whole mapping.</summary>
    public void DeleteAllMappings(long folderId) => Execute("DELETE FROM mapping WHERE folder_id=$f", ("$f", folderId));

    /// <summary>Records the flags both sides now agree on.</summary>
    public void SetBaseFlags(long folderId, uint uid0, FlagSet flags) =>
        Execute("UPDATE mapping SET flags=$flags WHERE folder_id=$f AND uid0=$u",
            ("$flags", flags.ToString()), ("$f", folderId), ("$u", (long)uid0));

    /// <summary>Writes an intent to the journal and returns its id.</summary>
    public long AddIntent(long folderId, JournalIntent intent)
    {
        using var command = Command(
            "INSERT INTO journal(folder_id, intent, created) VALUES($f, $i, $t) RETURNING id",
            ("$f", folderId), ("$i", JsonSerializer.Serialize(intent, JournalJson.Default.JournalIntent)), ("$t", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Marks an intent done (removes it).</summary>
    public void CompleteIntent(long id) => Execute("DELETE FROM journal WHERE id=$id", ("$id", id));

    /// <summary>Intents not marked done, oldest first.</summary>
    public List<JournalEntry> GetIntents()
    {
        var list = new List<JournalEntry>();
        using var command = Command("SELECT id, folder_id, intent FROM journal ORDER BY id");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var intent = JsonSerializer.Deserialize(reader.GetString(2), JournalJson.Default.JournalIntent)
                ?? throw new InvalidDataException($"journal entry {reader.GetInt64(0)} is empty");
            list.Add(new JournalEntry(reader.GetInt64(0), reader.GetInt64(1), intent));
        }
        return list;
    }

    /// <summary>Commits the transaction.</summary>
    public void Commit()
    {
        _transaction.Commit();
        _committed = true;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        try
        {
            foreach (var command in _prepared.Values)
            {
                command.Dispose();
            }
            if (!_committed)
            {
                _transaction.Rollback();
            }
            _transaction.Dispose();
        }
        finally
        {
            _release();
        }
        return ValueTask.CompletedTask;
    }
}
