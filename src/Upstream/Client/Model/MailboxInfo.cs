namespace ImapProxy.Upstream.Client;

/// <summary>What SELECT or EXAMINE told about a mailbox, kept up to date by EXISTS/EXPUNGE/VANISHED while selected.</summary>
public sealed class MailboxInfo
{
    /// <summary>The mailbox name as given to SELECT.</summary>
    public required string Name { get; init; }

    /// <summary>True after EXAMINE, or when the server answered [READ-ONLY].</summary>
    public bool ReadOnly { get; internal set; }

    /// <summary>Number of messages.</summary>
    public uint Exists { get; internal set; }

    /// <summary>Number of \Recent messages (IMAP4rev1 only).</summary>
    public uint Recent { get; internal set; }

    /// <summary>UIDVALIDITY; 0 when the server sent none.</summary>
    public uint UidValidity { get; internal set; }

    /// <summary>UIDNEXT; 0 when the server sent none (some Exchange versions never do).</summary>
    public uint UidNext { get; internal set; }

    /// <summary>HIGHESTMODSEQ (RFC 7162); 0 when none or NOMODSEQ.</summary>
    public ulong HighestModSeq { get; internal set; }

    /// <summary>True when the server said NOMODSEQ: this mailbox does not keep mod-sequences.</summary>
    public bool NoModSeq { get; internal set; }

    /// <summary>FLAGS: the flags defined in the mailbox.</summary>
    public IReadOnlyList<string> Flags { get; internal set; } = [];

    /// <summary>PERMANENTFLAGS; null when the server sent none (then all of <see cref="Flags"/> may be stored).</summary>
    public IReadOnlyList<string>? PermanentFlags { get; internal set; }

    /// <summary>UIDs reported by VANISHED (EARLIER) during a QRESYNC SELECT.</summary>
    public UidSet VanishedEarlier { get; internal set; } = new();

    /// <summary>FETCH responses received during a QRESYNC SELECT (flag changes since the given mod-sequence).</summary>
    public IReadOnlyList<FetchedMessage> ChangedSince { get; internal set; } = [];
}

/// <summary>The mailbox state a client remembers, for a QRESYNC SELECT (RFC 7162 §3.2.5).</summary>
/// <param name="UidValidity">UIDVALIDITY last seen.</param>
/// <param name="ModSeq">HIGHESTMODSEQ last synchronized.</param>
/// <param name="KnownUids">The UIDs the client knows, or null for all.</param>
public sealed record QResyncState(uint UidValidity, ulong ModSeq, UidSet? KnownUids = null);
