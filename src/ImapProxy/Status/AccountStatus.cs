using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Status;

/// <summary>One folder's line in <c>imapproxy status</c>.</summary>
/// <param name="Name">The folder.</param>
/// <param name="LocalMessages">Messages in the mirror as indexed, or null when the folder is not in the mirror.</param>
/// <param name="UpstreamMessages">Messages upstream as the last sync saw them, or null when never seen there.</param>
/// <param name="NewLocal">Local messages not yet mapped to an upstream one: to be appended upstream.</param>
/// <param name="FlagChanges">Mapped messages whose local flags differ from the last synced ones.</param>
/// <param name="LocalExpunges">Mapped messages gone from the mirror: to be expunged upstream.</param>
/// <param name="JournalIntents">Operations an interrupted sync left in the journal, replayed at the next sync.</param>
/// <param name="LastSuccess">When this folder last synced without error, or null.</param>
/// <param name="LastError">The error of the folder's last sync, or null.</param>
/// <param name="Stopped">Why the folder is stopped until the user confirms (deletion guard), or null.</param>
internal sealed record FolderStatusLine(
    string Name, int? LocalMessages, int? UpstreamMessages, int NewLocal, int FlagChanges, int LocalExpunges,
    int JournalIntents, DateTimeOffset? LastSuccess, string? LastError, string? Stopped)
{
    /// <summary>Changes waiting to be pushed upstream, all kinds together.</summary>
    public int Pending => NewLocal + FlagChanges + LocalExpunges + JournalIntents;
}

/// <summary>What <c>imapproxy status</c> knows of one account, read without contacting the upstream.</summary>
/// <param name="Name">The account.</param>
/// <param name="Upstream">"user at host:port", for the heading.</param>
/// <param name="HasState">False when the account has never been synced (no state file).</param>
/// <param name="HasIndex">False when the mirror has no index yet (never opened).</param>
/// <param name="AccountRun">The account-wide outcome of the last run, or null.</param>
/// <param name="Folders">Per folder, by name.</param>
/// <param name="OtherIntents">Journal entries of folders the state no longer knows.</param>
internal sealed record AccountStatus(
    string Name, string Upstream, bool HasState, bool HasIndex, RunLogEntry? AccountRun, IReadOnlyList<FolderStatusLine> Folders,
    int OtherIntents);
