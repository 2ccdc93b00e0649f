namespace ImapProxy.Store;

/// <summary>A folder's status, its messages changed since a MODSEQ and the UIDs expunged since, taken at one moment.</summary>
/// <param name="Status">The folder's state.</param>
/// <param name="Changed">Messages whose MODSEQ is above the one asked for, ascending by UID.</param>
/// <param name="Expunged">UIDs expunged with a MODSEQ above the one asked for, ascending.</param>
public sealed record FolderChanges(FolderStatus Status, IReadOnlyList<MessageInfo> Changed, IReadOnlyList<uint> Expunged);

public sealed partial class MailFolder
{
    /// <summary>
    /// What changed since <paramref name="modSeq"/> (a CHANGEDSINCE listing), after noticing other writers' changes.
    /// Unlike <see cref="SelectAsync"/> it copies only the changed messages, and the status, the changes and the
    /// expunges come from one look under the folder's lock: every change up to the status's HIGHESTMODSEQ is in it.
    /// </summary>
    public async Task<FolderChanges> GetChangesSinceAsync(ulong modSeq, CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var changed = new List<MessageInfo>();
            foreach (var m in _messages)
            {
                if (m.ModSeq > modSeq) changed.Add(m.ToInfo());
            }
            var expunged = await _db.GetExpungedSinceAsync(_row.Id, modSeq, cancellationToken).ConfigureAwait(false);
            return new FolderChanges(StatusLocked(), changed, expunged);
        }
        finally { _gate.Release(); }
    }
}
