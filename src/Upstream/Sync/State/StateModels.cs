namespace ImapProxy.Upstream.Sync.State;

/// <summary>A folder's status on one side as last synced.</summary>
/// <param name="UidValidity">UIDVALIDITY.</param>
/// <param name="UidNext">UIDNEXT.</param>
/// <param name="HighestModSeq">HIGHESTMODSEQ up to which every change has been synced (0: none).</param>
/// <param name="MessageCount">Number of messages.</param>
public sealed record SideState(uint UidValidity, uint UidNext, ulong HighestModSeq, int MessageCount)
{
    /// <summary>True when the live status shows nothing changed since this state.</summary>
    public bool Unchanged(FolderStatus status) =>
        status.UidValidity == UidValidity && status.UidNext == UidNext && status.MessageCount == MessageCount
        && status.HighestModSeq != 0 && status.HighestModSeq == HighestModSeq;
}

/// <summary>A folder pair as recorded in the sync state.</summary>
/// <param name="Id">Row id.</param>
/// <param name="Name">Folder name (the same on both sides).</param>
/// <param name="StoppedReason">Why the pair is stopped until the user confirms, or null.</param>
/// <param name="Side0">Side 0's status as last synced, or null if never seen there.</param>
/// <param name="Side1">Side 1's status as last synced, or null if never seen there.</param>
public sealed record FolderPairState(long Id, string Name, string? StoppedReason, SideState? Side0, SideState? Side1)
{
    /// <summary>The state of side <paramref name="side"/> (0 or 1).</summary>
    public SideState? Side(int side) => side == 0 ? Side0 : Side1;
}

/// <summary>
/// A message known on both sides: the UID pair, the flags as last synced on both (the base of the three-way merge,
/// null when unknown) and the content identity, used to re-match after a UIDVALIDITY change.
/// </summary>
/// <param name="Uid0">UID on side 0.</param>
/// <param name="Uid1">UID on side 1.</param>
/// <param name="BaseFlags">Flags as last synced, or null when unknown (then the merge takes the union).</param>
/// <param name="MessageId">Message-ID, or null.</param>
/// <param name="Size">RFC822.SIZE.</param>
/// <param name="InternalDate">INTERNALDATE.</param>
/// <param name="Key0">Content key on side 0, or null.</param>
/// <param name="Key1">Content key on side 1, or null.</param>
public sealed record MappedMessage(
    uint Uid0, uint Uid1, FlagSet? BaseFlags, string? MessageId, long Size, DateTimeOffset InternalDate, string? Key0, string? Key1)
{
    /// <summary>The UID on side <paramref name="side"/>.</summary>
    public uint Uid(int side) => side == 0 ? Uid0 : Uid1;

    /// <summary>The content key on side <paramref name="side"/>.</summary>
    public string? Key(int side) => side == 0 ? Key0 : Key1;

    /// <summary>The identity as seen on side <paramref name="side"/>.</summary>
    public MessageIdentity Identity(int side) => new(Uid(side), MessageId, Size, InternalDate, Key(side));

    /// <summary>Builds a mapping from the UIDs and identities on both sides.</summary>
    public static MappedMessage From(int side, uint uid, uint otherUid, FlagSet? baseFlags, MessageIdentity identity, string? otherKey)
    {
        var key = identity.ContentKey;
        return side == 0
            ? new MappedMessage(uid, otherUid, baseFlags, identity.MessageId, identity.Size, identity.InternalDate, key, otherKey)
            : new MappedMessage(otherUid, uid, baseFlags, identity.MessageId, identity.Size, identity.InternalDate, otherKey, key);
    }
}

/// <summary>A pending intent in the journal.</summary>
/// <param name="Id">Row id.</param>
/// <param name="FolderId">Folder pair the intent concerns.</param>
/// <param name="Intent">What was about to be done.</param>
public sealed record JournalEntry(long Id, long FolderId, JournalIntent Intent);

/// <summary>
/// An action the engine is about to take, written before acting and removed in the same transaction that records
/// its result. Entries left behind by a crash are reconciled at the next start.
/// </summary>
public sealed record JournalIntent
{
    /// <summary>Operation: copy, move, expunge, flags, mkdir, rmdir, rename.</summary>
    public required string Op { get; init; }

    /// <summary>The side acted upon.</summary>
    public int Side { get; init; }

    /// <summary>UIDs acted upon (on the other side for a copy: the source).</summary>
    public uint[] Uids { get; init; } = [];

    /// <summary>For a move: the UID the moved message already has in the target folder on the other side.</summary>
    public uint OtherUid { get; init; }

    /// <summary>UIDNEXT of the target folder before acting: a found copy must have a UID at least this.</summary>
    public uint MinUid { get; init; }

    /// <summary>For a move: the target folder pair.</summary>
    public long ToFolderId { get; init; }

    /// <summary>Message-ID of the copied or moved message.</summary>
    public string? MessageId { get; init; }

    /// <summary>Size of the copied or moved message.</summary>
    public long Size { get; init; }

    /// <summary>INTERNALDATE (Unix seconds) of the copied or moved message.</summary>
    public long DateUnix { get; init; }

    /// <summary>Content key on the source side.</summary>
    public string? Key { get; init; }

    /// <summary>Flags set on the target (the new base).</summary>
    public string? Flags { get; init; }

    /// <summary>Folder name for folder operations; the new name for a rename.</summary>
    public string? Name { get; init; }

    /// <summary>For a batch copy: the target side's name for the batch's traces (see <see cref="IAppendBatch.Token"/>).</summary>
    public string? Token { get; init; }

    /// <summary>For a batch copy: every message of the batch, as the source side knows it.</summary>
    public JournalCopyItem[]? Items { get; init; }
}

/// <summary>One message of a batch copy, as written to the journal before the batch starts.</summary>
/// <param name="Uid">UID on the source side.</param>
/// <param name="MessageId">Message-ID, or null.</param>
/// <param name="Size">RFC822.SIZE.</param>
/// <param name="DateUnix">INTERNALDATE (Unix seconds).</param>
/// <param name="Key">Content key on the source side, or null.</param>
/// <param name="Flags">Flags given to the copy (the new base).</param>
public sealed record JournalCopyItem(uint Uid, string? MessageId, long Size, long DateUnix, string? Key, string Flags)
{
    /// <summary>The source message's identity.</summary>
    public MessageIdentity Identity() => new(Uid, MessageId, Size, DateTimeOffset.FromUnixTimeSeconds(DateUnix), Key);
}
