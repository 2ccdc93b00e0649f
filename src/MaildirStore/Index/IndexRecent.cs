namespace ImapProxy.Store.Index;

/// <summary>
/// Where each folder's \Recent boundary is kept (RFC 3501 §2.3.2): messages with a UID at or above it have not yet
/// been seen by any session that selected the folder. Kept in the index so mail that arrives while no server runs
/// (a one-shot <c>sync</c>, another Maildir writer) is still \Recent for the next session.
/// </summary>
internal sealed partial class IndexDatabase
{
    /// <summary>The folder's first \Recent UID, or null when none was recorded yet.</summary>
    public Task<uint?> GetFirstRecentUidAsync(long folderId, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT first_recent_uid FROM folder_recent WHERE folder_id=$f";
        command.Parameters.AddWithValue("$f", folderId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long value ? (uint?)value : null;
    }, cancellationToken);

    /// <summary>Raises the stored boundary to <paramref name="firstRecentUid"/>; never lowers it, so writes that race land right.</summary>
    public Task<int> RaiseFirstRecentUidAsync(long folderId, uint firstRecentUid, CancellationToken cancellationToken) => WithLockAsync(async () =>
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO folder_recent(folder_id, first_recent_uid) VALUES($f, $u) " +
                              "ON CONFLICT(folder_id) DO UPDATE SET first_recent_uid = max(first_recent_uid, excluded.first_recent_uid)";
        command.Parameters.AddWithValue("$f", folderId);
        command.Parameters.AddWithValue("$u", (long)firstRecentUid);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }, cancellationToken);
}
