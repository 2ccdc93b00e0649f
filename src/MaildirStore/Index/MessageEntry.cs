namespace ImapProxy.Store.Index;

/// <summary>One message of an open folder, as held in memory (small: no bodies, no parse results).</summary>
internal sealed class MessageEntry
{
    public required uint Uid { get; init; }
    public required string FileName { get; set; }
    public required bool InNew { get; set; }
    public required MessageFlags Flags { get; set; }
    public required string[] Keywords { get; set; }
    public required ulong ModSeq { get; set; }
    /// <summary>Unix milliseconds.</summary>
    public required long InternalDate { get; init; }
    public required long Size { get; init; }

    /// <summary>The scan generation that last saw this entry's file.</summary>
    public int SeenInScan { get; set; }

    public string SubDirectory => InNew ? "new" : "cur";

    public MessageInfo ToInfo() =>
        new(Uid, Flags, Keywords, ModSeq, DateTimeOffset.FromUnixTimeMilliseconds(InternalDate), Size);
}

/// <summary>What the parser made of a message at ingest; null fields mean "not analysed" (<paramref name="Sort"/>
/// is kept only with an analysed message).</summary>
internal sealed record CachedAnalysis(byte[]? Envelope, byte[]? BodyStructure, byte[]? Body, string? MessageId, SortFields? Sort = null)
{
    public static readonly CachedAnalysis None = new(null, null, null, null);
    public bool IsAnalyzed => Envelope is not null;
}

/// <summary>A folder's row in the index.</summary>
internal sealed class FolderRow
{
    public required long Id { get; init; }
    public required string Name { get; set; }
    public required uint UidValidity { get; init; }
    public required uint UidNext { get; set; }
    public required ulong HighestModSeq { get; set; }
    /// <summary>Directory mtimes (ticks) seen by the last full scan, and when it started (ticks).</summary>
    public long NewMtime { get; set; }
    public long CurMtime { get; set; }
    public long ScannedAt { get; set; }
}

/// <summary>One change to write in a batch.</summary>
internal abstract record IndexOp
{
    public sealed record Insert(MessageEntry Entry, CachedAnalysis Analysis) : IndexOp;
    public sealed record Update(MessageEntry Entry) : IndexOp;
    public sealed record Expunge(uint Uid, ulong ModSeq) : IndexOp;
}
