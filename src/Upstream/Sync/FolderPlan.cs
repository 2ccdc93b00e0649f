using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>Copy a message from one side to the other (a new message, or one re-copied for safety).</summary>
/// <param name="FromSide">Source side.</param>
/// <param name="Identity">The source message's identity (UID on the source side).</param>
/// <param name="Flags">Flags to give the copy; they become the base.</param>
/// <param name="Reason">Why: "new" or "re-copy" (expunged on the target side but changed on the source).</param>
public sealed record CopyAction(int FromSide, MessageIdentity Identity, FlagSet Flags, string Reason);

/// <summary>Bring a mapped message's flags to <paramref name="Target"/> on the sides that differ.</summary>
/// <param name="Mapping">The mapped message.</param>
/// <param name="Target">The merged flags.</param>
/// <param name="Current0">Flags now on side 0.</param>
/// <param name="Current1">Flags now on side 1.</param>
public sealed record FlagAction(MappedMessage Mapping, FlagSet Target, FlagSet Current0, FlagSet Current1)
{
    /// <summary>Flags now on side <paramref name="side"/>.</summary>
    public FlagSet Current(int side) => side == 0 ? Current0 : Current1;
}

/// <summary>A message moved between folders on one side, to be moved likewise on the other.</summary>
/// <param name="MovedOnSide">The side where the user moved it.</param>
/// <param name="From">Source folder pair.</param>
/// <param name="To">Target folder pair.</param>
/// <param name="Mapping">Its mapping in the source folder.</param>
/// <param name="NewUid">Its UID in the target folder on <paramref name="MovedOnSide"/>.</param>
public sealed record MoveAction(int MovedOnSide, string From, string To, MappedMessage Mapping, uint NewUid);

/// <summary>
/// Everything one folder pair needs, computed before anything is changed; a dry run reports it and stops here.
/// </summary>
public sealed class FolderPlan
{
    /// <summary>The folder.</summary>
    public required string Folder { get; init; }

    /// <summary>Mapping rows to record before acting: content pairings and re-matches (base may be unknown).</summary>
    public List<MappedMessage> NewMappings { get; } = new();

    /// <summary>True when the stored mapping must be replaced wholesale (after a UIDVALIDITY re-match).</summary>
    public bool ReplaceMappings { get; set; }

    /// <summary>The whole mapping to store when <see cref="ReplaceMappings"/> is set.</summary>
    public List<MappedMessage> Mappings { get; set; } = new();

    /// <summary>Mappings of messages gone from both sides, to forget.</summary>
    public List<MappedMessage> Forget { get; } = new();

    /// <summary>Flag changes.</summary>
    public List<FlagAction> Flags { get; } = new();

    /// <summary>Messages to expunge, per side (with their mappings).</summary>
    public List<MappedMessage>[] Expunge { get; } = [new(), new()];

    /// <summary>Messages to copy.</summary>
    public List<CopyAction> Copies { get; } = new();

    /// <summary>Notes for the report.</summary>
    public List<string> Notes { get; } = new();

    /// <summary>True when the plan changes nothing.</summary>
    public bool IsEmpty => NewMappings.Count == 0 && !ReplaceMappings && Forget.Count == 0 && Flags.Count == 0
                           && Expunge[0].Count == 0 && Expunge[1].Count == 0 && Copies.Count == 0;
}
