using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// What the engine knows about one folder pair before planning: the state, both sides' status and listings, and
/// from them each side's current view (UID → flags) and the identities of messages the mapping does not know.
/// The move phase patches it (a moved message leaves one folder's view and joins another's mapping).
/// </summary>
internal sealed class FolderScan
{
    public FolderScan(FolderPairState pair, FolderStatus[] status, List<MappedMessage> mappings)
    {
        Pair = pair;
        Status = status;
        Mappings = mappings;
    }

    public FolderPairState Pair { get; }

    public string Name => Pair.Name;

    /// <summary>Status from the folder listing, per side.</summary>
    public FolderStatus[] Status { get; }

    /// <summary>The mapping (after any re-match), keyed by nothing; the planner indexes it.</summary>
    public List<MappedMessage> Mappings { get; set; }

    /// <summary>True when the mapping was rebuilt by re-matching and must replace the stored one.</summary>
    public bool MappingsReplaced { get; set; }

    /// <summary>Listings per side.</summary>
    public FolderListing[] Listings { get; } = new FolderListing[2];

    /// <summary>Every message present on each side, with its flags.</summary>
    public Dictionary<uint, FlagSet>[] Present { get; } = [new(), new()];

    /// <summary>Modseq per UID where the listing gave one (for conditional stores).</summary>
    public Dictionary<uint, ulong>[] ModSeqs { get; } = [new(), new()];

    /// <summary>Identities of the messages the mapping does not know, per side.</summary>
    public Dictionary<uint, MessageIdentity>[] Unmapped { get; } = [new(), new()];

    /// <summary>Unmapped UIDs that must not be copied in this run (targets of moves handled elsewhere).</summary>
    public HashSet<uint>[] Claimed { get; } = [new(), new()];

    /// <summary>
    /// What this pass wrote on each side: UID → the flags recorded as its base (flag stores and copies), so that the
    /// status recorded at the end may move past our own writes (<see cref="SettledStatus"/>). Copies of one folder
    /// commit one batch at a time, but lock it anyway.
    /// </summary>
    public Dictionary<uint, FlagSet>[] Written { get; } = [new(), new()];

    /// <summary>UIDs this pass expunged on each side.</summary>
    public HashSet<uint>[] Removed { get; } = [new(), new()];

    /// <summary>Records that this pass gave <paramref name="uid"/> on <paramref name="side"/> the base <paramref name="flags"/>.</summary>
    public void NoteWritten(int side, uint uid, FlagSet flags)
    {
        lock (Written)
        {
            Written[side][uid] = flags;
        }
    }

    /// <summary>Notes for the report (re-match results, ...).</summary>
    public List<string> Notes { get; } = new();

    /// <summary>UIDNEXT on each side before this run's changes: copies found later must be at or above it.</summary>
    public uint UidNextBefore(int side) => Listings[side].UidNext;
}
