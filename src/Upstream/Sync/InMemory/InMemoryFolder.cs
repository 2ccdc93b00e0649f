namespace ImapProxy.Upstream.Sync.InMemory;

/// <summary>One folder of an <see cref="InMemoryMailSide"/>; guarded by the side's lock.</summary>
internal sealed class InMemoryFolder(uint uidValidity)
{
    public uint UidValidity { get; set; } = uidValidity;

    public uint UidNext { get; set; } = 1;

    public ulong HighestModSeq { get; set; } = 1;

    public SortedDictionary<uint, InMemoryMessage> Messages { get; } = new();

    /// <summary>Expunged UIDs with the modseq of their expunge, for QRESYNC-style vanished reports.</summary>
    public List<(uint Uid, ulong ModSeq)> Expunged { get; } = new();

    public ulong NextModSeq() => ++HighestModSeq;

    public FolderStatus Status(string name) => new(name, UidValidity, UidNext, HighestModSeq, Messages.Count);
}

/// <summary>A stored message; immutable content, mutable flags.</summary>
internal sealed class InMemoryMessage(byte[] content, string contentKey, DateTimeOffset internalDate, string? messageId)
{
    public byte[] Content { get; } = content;

    public string ContentKey { get; } = contentKey;

    public DateTimeOffset InternalDate { get; } = internalDate;

    public string? MessageId { get; } = messageId;

    public FlagSet Flags { get; set; } = FlagSet.Empty;

    public ulong ModSeq { get; set; }
}
