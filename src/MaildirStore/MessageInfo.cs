namespace ImapProxy.Store;

/// <summary>What a SELECT needs of one message; an immutable snapshot.</summary>
/// <param name="Uid">The message's UID in its folder; never changes while UIDVALIDITY stays.</param>
/// <param name="Flags">System flags.</param>
/// <param name="Keywords">Keywords (<c>$Label1</c>, <c>$Junk</c>, ...), kept in the index; empty if none.</param>
/// <param name="ModSeq">The MODSEQ of the message's last change (RFC 7162).</param>
/// <param name="InternalDate">INTERNALDATE.</param>
/// <param name="Size">RFC822.SIZE, counted with CRLF line ends.</param>
public readonly record struct MessageInfo(
    uint Uid, MessageFlags Flags, IReadOnlyList<string> Keywords, ulong ModSeq, DateTimeOffset InternalDate, long Size);

/// <summary>The parse results cached at ingest (IMAP wire syntax), for FETCH ENVELOPE / BODYSTRUCTURE / BODY.</summary>
/// <param name="Uid">The message's UID.</param>
/// <param name="Envelope">ENVELOPE as wire bytes, or null if the parser is not available.</param>
/// <param name="BodyStructure">BODYSTRUCTURE as wire bytes, or null.</param>
/// <param name="Body">BODY (non-extensible) as wire bytes, or null.</param>
/// <param name="MessageId">The Message-ID header value, if any.</param>
public sealed record MessageDetails(uint Uid, byte[]? Envelope, byte[]? BodyStructure, byte[]? Body, string? MessageId);

/// <summary>A folder's state (for SELECT, STATUS and the synchronizer's quick "anything changed?" check).</summary>
/// <param name="UidValidity">UIDVALIDITY.</param>
/// <param name="UidNext">UIDNEXT.</param>
/// <param name="HighestModSeq">HIGHESTMODSEQ.</param>
/// <param name="Messages">Number of messages.</param>
/// <param name="Unseen">Number of messages without \Seen.</param>
public readonly record struct FolderStatus(uint UidValidity, uint UidNext, ulong HighestModSeq, int Messages, int Unseen);

/// <summary>A folder's status and all its messages in UID order, taken at one moment.</summary>
/// <param name="Status">The folder's state.</param>
/// <param name="Messages">The messages, ascending by UID.</param>
public sealed record FolderSnapshot(FolderStatus Status, IReadOnlyList<MessageInfo> Messages);

/// <summary>The result of an append: the new message's UID (for APPENDUID) and its MODSEQ.</summary>
/// <param name="UidValidity">The folder's UIDVALIDITY.</param>
/// <param name="Uid">The new UID.</param>
/// <param name="ModSeq">The new message's MODSEQ.</param>
public readonly record struct AppendResult(uint UidValidity, uint Uid, ulong ModSeq);

/// <summary>The result of a STORE.</summary>
/// <param name="Updated">Messages as they are after the change (also those whose flags were already as asked).</param>
/// <param name="Modified">UIDs refused because their MODSEQ was above UNCHANGEDSINCE (RFC 7162 MODIFIED).</param>
public sealed record StoreResult(IReadOnlyList<MessageInfo> Updated, IReadOnlyList<uint> Modified);

/// <summary>One copied or moved message: its UID in the source and in the target (for COPYUID).</summary>
/// <param name="SourceUid">UID in the source folder.</param>
/// <param name="TargetUid">UID in the target folder.</param>
public readonly record struct UidPair(uint SourceUid, uint TargetUid);

/// <summary>The result of a COPY or MOVE.</summary>
/// <param name="TargetUidValidity">The target folder's UIDVALIDITY.</param>
/// <param name="Pairs">Source and target UIDs, in source UID order; UIDs no longer present are left out.</param>
public sealed record CopyResult(uint TargetUidValidity, IReadOnlyList<UidPair> Pairs);

/// <summary>A folder as listed.</summary>
/// <param name="Name">Unicode name with <c>/</c> as hierarchy separator; INBOX is <c>INBOX</c>.</param>
/// <param name="Selectable">False for a directory that only holds children (fs layout).</param>
public sealed record FolderInfo(string Name, bool Selectable);
