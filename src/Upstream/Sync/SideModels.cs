namespace ImapProxy.Upstream.Sync;

/// <summary>What a side can do beyond the basics; the engine picks its fast paths from these.</summary>
[Flags]
public enum SideCapabilities
{
    /// <summary>Only the basics.</summary>
    None = 0,

    /// <summary>Per-message MODSEQ and HIGHESTMODSEQ (CONDSTORE/QRESYNC): listings since a modseq, with vanished UIDs.</summary>
    ModSeq = 1,

    /// <summary>Moving messages between folders (IMAP MOVE, or a Maildir rename).</summary>
    Move = 2,

    /// <summary>Append and move report the new UIDs (UIDPLUS APPENDUID/COPYUID).</summary>
    AppendUid = 4,

    /// <summary>
    /// <see cref="MessageIdentity.ContentKey"/> is stable when a message moves between folders (a Maildir base name,
    /// an RFC 8474 EMAILID), so a move on this side can be recognised as one.
    /// </summary>
    ContentKeys = 8,

    /// <summary>Flag stores can be conditional (CONDSTORE UNCHANGEDSINCE).</summary>
    ConditionalStore = 16,
}

/// <summary>
/// A folder and its status, as one folder listing returns it for every folder at once (LIST-STATUS upstream).
/// </summary>
/// <param name="Name">The folder name, with <c>/</c> as hierarchy delimiter (adapters translate).</param>
/// <param name="UidValidity">UIDVALIDITY.</param>
/// <param name="UidNext">UIDNEXT.</param>
/// <param name="HighestModSeq">HIGHESTMODSEQ, or 0 when the side has no modseqs.</param>
/// <param name="MessageCount">Number of messages.</param>
public sealed record FolderStatus(string Name, uint UidValidity, uint UidNext, ulong HighestModSeq, int MessageCount);

/// <summary>A message's UID, flags and keywords, and modseq (0 when the side has none).</summary>
/// <param name="Uid">The UID.</param>
/// <param name="Flags">Flags and keywords.</param>
/// <param name="ModSeq">MODSEQ, or 0.</param>
public sealed record MessageInfo(uint Uid, FlagSet Flags, ulong ModSeq);

/// <summary>The messages of one folder: all of them, or only those changed since a modseq.</summary>
/// <param name="UidValidity">UIDVALIDITY at the time of listing.</param>
/// <param name="UidNext">UIDNEXT at the time of listing.</param>
/// <param name="HighestModSeq">HIGHESTMODSEQ at the time of listing (0 without modseqs); every change up to it is in
/// the listing (read before, or at the same moment as, the messages).</param>
/// <param name="Messages">All messages, or when <paramref name="IsDelta"/> those changed or added since the modseq.</param>
/// <param name="Vanished">When <paramref name="IsDelta"/>: UIDs expunged since the modseq (may include unknown ones).</param>
/// <param name="IsDelta">True when only changes were listed.</param>
public sealed record FolderListing(
    uint UidValidity,
    uint UidNext,
    ulong HighestModSeq,
    IReadOnlyList<MessageInfo> Messages,
    IReadOnlyList<uint> Vanished,
    bool IsDelta)
{
    /// <summary>
    /// The number of messages at the moment <see cref="HighestModSeq"/> was read (EXISTS of the SELECT), or -1 when
    /// the side does not say.
    /// </summary>
    public int MessageCount { get; init; } = -1;
}

/// <summary>
/// What identifies a message's content across sides and UIDVALIDITY changes.
/// </summary>
/// <param name="Uid">The UID on the side that reported it.</param>
/// <param name="MessageId">The Message-ID header value (with angle brackets, trimmed), or null when absent.</param>
/// <param name="Size">RFC822.SIZE: octets with CRLF line ends, so both sides count alike.</param>
/// <param name="InternalDate">INTERNALDATE.</param>
/// <param name="ContentKey">A key stable across moves on that side (see <see cref="SideCapabilities.ContentKeys"/>), or null.</param>
public sealed record MessageIdentity(uint Uid, string? MessageId, long Size, DateTimeOffset InternalDate, string? ContentKey)
{
    /// <summary>True when both describe the same content: same Message-ID and size; without Message-ID, same size and date.</summary>
    public bool SameContentAs(MessageIdentity other) =>
        Size == other.Size
        && string.Equals(MessageId, other.MessageId, StringComparison.Ordinal)
        && (MessageId is not null || InternalDate.ToUnixTimeSeconds() == other.InternalDate.ToUnixTimeSeconds());
}
