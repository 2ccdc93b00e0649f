namespace ImapProxy.Upstream.Sync.State;

/// <summary>When a folder (or, under <see cref="RunLogEntry.AccountKey"/>, the whole account) last synced, and how.</summary>
/// <param name="Folder">The folder name, or <see cref="AccountKey"/> for the account as a whole.</param>
/// <param name="LastSuccess">The end of the last run that completed without error, or null if none did.</param>
/// <param name="LastAttempt">The end of the last run, successful or not.</param>
/// <param name="LastError">The error of the last run, or null when it succeeded.</param>
public sealed record RunLogEntry(string Folder, DateTimeOffset? LastSuccess, DateTimeOffset LastAttempt, string? LastError)
{
    /// <summary>The key of the account-wide entry (no folder is called that: folder names are never empty).</summary>
    public const string AccountKey = "";
}

public sealed partial class StateTransaction
{
    /// <summary>
    /// Records the outcome of a run for a folder (or <see cref="RunLogEntry.AccountKey"/>): a success (null
    /// <paramref name="error"/>) sets the last success and clears the error; a failure keeps the last success.
    /// </summary>
    public void RecordRun(string folder, DateTimeOffset at, string? error)
    {
        var ms = at.ToUnixTimeMilliseconds();
        Execute(
            "INSERT INTO run_log(folder, last_success, last_attempt, last_error) VALUES($f, $s, $a, $e) "
            + "ON CONFLICT(folder) DO UPDATE SET last_attempt=$a, last_error=$e, last_success=coalesce($s, last_success)",
            ("$f", folder), ("$s", error is null ? ms : null), ("$a", ms), ("$e", error));
    }

    /// <summary>Every recorded run outcome by folder; empty for a state file older than the run log.</summary>
    public Dictionary<string, RunLogEntry> GetRunLog()
    {
        var result = new Dictionary<string, RunLogEntry>(StringComparer.Ordinal);
        using (var exists = Command("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='run_log'"))
        {
            if ((long)exists.ExecuteScalar()! == 0)
            {
                return result;
            }
        }
        using var command = Command("SELECT folder, last_success, last_attempt, last_error FROM run_log");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var folder = reader.GetString(0);
            result[folder] = new RunLogEntry(folder,
                reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3));
        }
        return result;
    }
}
