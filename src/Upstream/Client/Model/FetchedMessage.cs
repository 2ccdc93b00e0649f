namespace ImapProxy.Upstream.Client;

/// <summary>One message's FETCH data. Items that were not asked for (or not sent) are null.</summary>
public sealed class FetchedMessage
{
    /// <summary>Message sequence number.</summary>
    public uint SequenceNumber { get; init; }

    /// <summary>UID; 0 when the server did not send it.</summary>
    public uint Uid { get; internal set; }

    /// <summary>FLAGS, as sent (e.g. <c>\Seen</c>, <c>$Forwarded</c>).</summary>
    public IReadOnlyList<string>? Flags { get; internal set; }

    /// <summary>MODSEQ (RFC 7162).</summary>
    public ulong? ModSeq { get; internal set; }

    /// <summary>INTERNALDATE.</summary>
    public DateTimeOffset? InternalDate { get; internal set; }

    /// <summary>RFC822.SIZE.</summary>
    public long? Size { get; internal set; }

    /// <summary>The body section in memory (when no sink was given), e.g. BODY[] or BODY[HEADER].</summary>
    public ReadOnlyMemory<byte>? Body { get; internal set; }

    /// <summary>Size of the body section written to the sink; -1 when none was.</summary>
    public long StreamedBodyLength { get; internal set; } = -1;

    /// <summary>X-GM-LABELS (Gmail), when asked for.</summary>
    public IReadOnlyList<string>? GmailLabels { get; internal set; }

    /// <summary>X-GM-MSGID (Gmail), when asked for.</summary>
    public ulong? GmailMessageId { get; internal set; }

    /// <summary>EMAILID (RFC 8474), when asked for.</summary>
    public string? EmailId { get; internal set; }
}

/// <summary>A mailbox from LIST (or XLIST).</summary>
public sealed class ListEntry
{
    /// <summary>The full name, decoded from modified UTF-7 unless UTF8=ACCEPT is on.</summary>
    public required string Name { get; init; }

    /// <summary>The name exactly as the server sent it (what commands must send back).</summary>
    public required string RawName { get; init; }

    /// <summary>Hierarchy delimiter, or null for a flat namespace.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Attributes such as <c>\Noselect</c>, <c>\HasChildren</c>, <c>\Subscribed</c>, <c>\Sent</c>.</summary>
    public required IReadOnlySet<string> Attributes { get; init; }

    /// <summary>The special use (RFC 6154), e.g. <c>\Sent</c>, <c>\Trash</c>, <c>\All</c>; null when none.</summary>
    public string? SpecialUse { get; init; }

    /// <summary>STATUS returned with LIST-STATUS (RFC 5819), or null.</summary>
    public StatusInfo? Status { get; internal set; }

    /// <summary>True unless \Noselect or \NonExistent.</summary>
    public bool IsSelectable => !Attributes.Contains("\\NOSELECT") && !Attributes.Contains("\\NONEXISTENT");
}

/// <summary>STATUS data; items not asked for are null.</summary>
public sealed class StatusInfo
{
    /// <summary>The mailbox.</summary>
    public required string Name { get; init; }

    /// <summary>MESSAGES.</summary>
    public uint? Messages { get; internal set; }

    /// <summary>UIDNEXT.</summary>
    public uint? UidNext { get; internal set; }

    /// <summary>UIDVALIDITY.</summary>
    public uint? UidValidity { get; internal set; }

    /// <summary>UNSEEN.</summary>
    public uint? Unseen { get; internal set; }

    /// <summary>RECENT.</summary>
    public uint? Recent { get; internal set; }

    /// <summary>HIGHESTMODSEQ (RFC 7162).</summary>
    public ulong? HighestModSeq { get; internal set; }

    /// <summary>SIZE (RFC 8438).</summary>
    public ulong? Size { get; internal set; }
}

/// <summary>The answer to UID SEARCH (plain or ESEARCH).</summary>
public sealed class SearchResult
{
    /// <summary>The matching UIDs (empty when only MIN/MAX/COUNT were asked for).</summary>
    public UidSet Uids { get; internal set; } = new();

    /// <summary>ESEARCH MIN.</summary>
    public uint? Min { get; internal set; }

    /// <summary>ESEARCH MAX.</summary>
    public uint? Max { get; internal set; }

    /// <summary>ESEARCH COUNT, or the number of UIDs of a plain SEARCH.</summary>
    public uint? Count { get; internal set; }

    /// <summary>MODSEQ of the search (RFC 7162), when MODSEQ was a criterion.</summary>
    public ulong? ModSeq { get; internal set; }
}

/// <summary>The outcome of UID STORE.</summary>
public sealed class StoreResult
{
    /// <summary>UIDs not changed because they were modified since UNCHANGEDSINCE ([MODIFIED], RFC 7162).</summary>
    public UidSet Modified { get; internal set; } = new();

    /// <summary>The FETCH responses the store caused (new flags and MODSEQ).</summary>
    public List<FetchedMessage> Updated { get; } = [];
}

/// <summary>Where copied or appended messages went (UIDPLUS, RFC 4315).</summary>
/// <param name="UidValidity">UIDVALIDITY of the destination; 0 when the server does not report UIDPLUS codes.</param>
/// <param name="SourceUids">The source UIDs (COPYUID), in the server's order; empty for APPEND.</param>
/// <param name="DestinationUids">The new UIDs, in the same order; empty when unknown.</param>
public sealed record CopyResult(uint UidValidity, IReadOnlyList<uint> SourceUids, IReadOnlyList<uint> DestinationUids);

/// <summary>One namespace (RFC 2342).</summary>
/// <param name="Prefix">The prefix, e.g. "" or "INBOX." or "Other Users/".</param>
/// <param name="Delimiter">The hierarchy delimiter, or null.</param>
public sealed record NamespaceEntry(string Prefix, char? Delimiter);

/// <summary>The three kinds of namespace (RFC 2342).</summary>
public sealed record Namespaces(IReadOnlyList<NamespaceEntry> Personal, IReadOnlyList<NamespaceEntry> OtherUsers, IReadOnlyList<NamespaceEntry> Shared);

/// <summary>A message to APPEND.</summary>
/// <param name="Content">The message bytes (CRLF line ends), read from the current position.</param>
/// <param name="Length">Number of bytes to send.</param>
/// <param name="Flags">Flags to set, or null.</param>
/// <param name="InternalDate">INTERNALDATE to set, or null for now.</param>
public sealed record AppendMessage(Stream Content, long Length, IReadOnlyList<string>? Flags = null, DateTimeOffset? InternalDate = null);
