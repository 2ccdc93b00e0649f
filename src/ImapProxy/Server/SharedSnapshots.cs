using System.Runtime.CompilerServices;
using ImapProxy.Store;

namespace ImapProxy.Server;

/// <summary>
/// The last snapshot taken of each open folder, reused by every SELECT while the folder is unchanged: same
/// UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and message count mean the same messages and flags, because the store gives
/// every append, flag change and expunge a new MODSEQ. Saves building (and holding) a per-session copy of a big
/// folder's message list. Entries go away with their <see cref="MailFolder"/>.
/// </summary>
internal static class SharedSnapshots
{
    private static readonly ConditionalWeakTable<MailFolder, FolderSnapshot> Last = new();

    public static async Task<FolderSnapshot> SelectAsync(MailFolder folder, CancellationToken cancellationToken)
    {
        if (Last.TryGetValue(folder, out var last))
        {
            var status = await folder.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            if (status == last.Status)
            {
                return last;
            }
        }
        var snapshot = await folder.SelectAsync(cancellationToken).ConfigureAwait(false);
        Last.AddOrUpdate(folder, snapshot);
        return snapshot;
    }

    /// <summary>
    /// Forgets every kept snapshot (the idle trimmer calls this): sessions still hold the arrays they use, and a
    /// folder nobody has selected no longer keeps a copy of its message list alive. The next SELECT takes a new one.
    /// </summary>
    public static void Clear() => Last.Clear();
}
