namespace ImapProxy.Upstream.Sync;

/// <summary>Progress reported while synchronising, for progress bars and logs.</summary>
/// <param name="Folder">The folder concerned (empty for account-wide events).</param>
public abstract record SyncEvent(string Folder);

/// <summary>A folder's work starts.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Copies">Messages to copy.</param>
/// <param name="Bytes">Octets to copy.</param>
/// <param name="FlagChanges">Messages whose flags change.</param>
/// <param name="Expunges">Messages to expunge.</param>
public sealed record FolderStarted(string Folder, int Copies, long Bytes, int FlagChanges, int Expunges) : SyncEvent(Folder);

/// <summary>One message was copied.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="ToSide">The side it was copied to.</param>
/// <param name="Done">Copies done so far in this folder.</param>
/// <param name="Total">Copies planned in this folder.</param>
/// <param name="Bytes">Octets of this message.</param>
public sealed record MessageCopied(string Folder, int ToSide, int Done, int Total, long Bytes) : SyncEvent(Folder);

/// <summary>A folder is done.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Report">What happened.</param>
public sealed record FolderFinished(string Folder, FolderReport Report) : SyncEvent(Folder);

/// <summary>Something the user should know (a stopped folder, a re-match, a failed store).</summary>
/// <param name="Folder">The folder, or empty.</param>
/// <param name="Message">The message.</param>
public sealed record SyncWarning(string Folder, string Message) : SyncEvent(Folder);
