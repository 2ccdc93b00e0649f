namespace ImapProxy.Upstream.Sync;

/// <summary>
/// One side of a synchronisation: the upstream IMAP server or the local Maildir store. The engine is symmetric, as in
/// isync: both sides fill this same interface, and nothing in the engine knows which is which.
/// </summary>
/// <remarks>
/// Implementations must allow calls for different folders to run concurrently (the engine syncs several folders at
/// once). Folder names use <c>/</c> as the hierarchy delimiter. Errors are exceptions; a missing folder or UID is not
/// an error where noted.
/// </remarks>
public interface IMailSide
{
    /// <summary>A short name for reports ("upstream", "local").</summary>
    string Name { get; }

    /// <summary>What this side supports.</summary>
    SideCapabilities Capabilities { get; }

    /// <summary>All folders with their status, in one call.</summary>
    Task<IReadOnlyList<FolderStatus>> ListFoldersAsync(CancellationToken cancellationToken);

    /// <summary>Creates a folder (no error if it exists) and returns its status.</summary>
    Task<FolderStatus> CreateFolderAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes a folder and its messages (no error if it does not exist).</summary>
    Task DeleteFolderAsync(string name, CancellationToken cancellationToken);

    /// <summary>Renames a folder, keeping its UIDVALIDITY and UIDs.</summary>
    Task RenameFolderAsync(string oldName, string newName, CancellationToken cancellationToken);

    /// <summary>
    /// Lists a folder's messages: all of them when <paramref name="changedSinceModSeq"/> is 0; otherwise, on a side
    /// with <see cref="SideCapabilities.ModSeq"/>, only those with a modseq above it plus the UIDs expunged since
    /// (a side may always answer with a full listing instead).
    /// </summary>
    Task<FolderListing> ListMessagesAsync(string folder, ulong changedSinceModSeq, CancellationToken cancellationToken);

    /// <summary>Message-ID, size, date and content key of the given UIDs; UIDs that no longer exist are left out.</summary>
    Task<IReadOnlyList<MessageIdentity>> FetchIdentitiesAsync(
        string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken);

    /// <summary>Opens a message's full content (CRLF line ends) for streaming; null when the UID no longer exists.</summary>
    Task<Stream?> OpenMessageAsync(string folder, uint uid, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a message with flags and date. Returns its new UID, or null when the side cannot tell (no UIDPLUS);
    /// the engine then finds it with <see cref="FindMessagesAsync"/>.
    /// </summary>
    /// <param name="folder">Target folder.</param>
    /// <param name="content">The message; exactly <paramref name="size"/> octets.</param>
    /// <param name="size">Length of <paramref name="content"/> (an IMAP literal needs it up front).</param>
    /// <param name="flags">Flags and keywords to set.</param>
    /// <param name="internalDate">INTERNALDATE to keep.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<uint?> AppendAsync(
        string folder, Stream content, long size, FlagSet flags, DateTimeOffset internalDate, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the content (CRLF line ends) of the given messages to <paramref name="sink"/>, one after another in
    /// any order, in as few round trips as the side allows (upstream: pipelined multi-UID <c>UID FETCH BODY.PEEK[]</c>).
    /// UIDs that no longer exist are skipped.
    /// </summary>
    Task ReadMessagesAsync(string folder, IReadOnlyList<uint> uids, IMessageSink sink, CancellationToken cancellationToken);

    /// <summary>Starts a batch of appends to a folder, with one durable point (see <see cref="IAppendBatch"/>).</summary>
    Task<IAppendBatch> BeginAppendBatchAsync(string folder, CancellationToken cancellationToken);

    /// <summary>
    /// Removes what an interrupted batch named <paramref name="token"/> left behind that is not a whole message (its
    /// temporary files); whole messages it put in place stay. Idempotent; no error if the folder is gone.
    /// </summary>
    Task DiscardBatchAsync(string folder, string token, CancellationToken cancellationToken);

    /// <summary>
    /// UIDs at or above <paramref name="minUid"/> whose Message-ID is <paramref name="messageId"/> (or which have none,
    /// when it is null) and whose size is <paramref name="size"/>, in ascending order.
    /// </summary>
    Task<IReadOnlyList<uint>> FindMessagesAsync(
        string folder, string? messageId, long size, uint minUid, CancellationToken cancellationToken);

    /// <summary>
    /// Adds and removes flags on one message. With <paramref name="unchangedSinceModSeq"/> above 0 on a side with
    /// <see cref="SideCapabilities.ConditionalStore"/>, the store only happens if the message's modseq has not moved
    /// past it. Returns false when the store was refused for that reason or the UID no longer exists.
    /// </summary>
    Task<bool> StoreFlagsAsync(
        string folder, uint uid, FlagSet add, FlagSet remove, ulong unchangedSinceModSeq, CancellationToken cancellationToken);

    /// <summary>Permanently removes messages (UID EXPUNGE); UIDs that do not exist are ignored.</summary>
    Task ExpungeAsync(string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken);

    /// <summary>
    /// Moves messages to another folder of this side, keeping content and flags. Returns old UID → new UID when known
    /// (COPYUID), else null. Only called on a side with <see cref="SideCapabilities.Move"/>.
    /// </summary>
    Task<IReadOnlyDictionary<uint, uint>?> MoveAsync(
        string fromFolder, IReadOnlyCollection<uint> uids, string toFolder, CancellationToken cancellationToken);
}
