namespace ImapProxy.Store;

/// <summary>What kind of change a <see cref="FolderChange"/> reports.</summary>
public enum FolderChangeKind
{
    /// <summary>A message arrived (append, copy, move in, or another writer's new file).</summary>
    Added,
    /// <summary>A message was expunged (by us or by another writer deleting or moving its file).</summary>
    Expunged,
    /// <summary>A message's flags or keywords changed.</summary>
    FlagsChanged,
    /// <summary>The subscriber fell behind and changes were dropped: reload the folder.</summary>
    ResyncNeeded,
    /// <summary>The folder was deleted or renamed; the subscription ends after this.</summary>
    FolderGone,
}

/// <summary>One change to a folder, in the order they happened.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Uid">The message's UID (0 for ResyncNeeded / FolderGone).</param>
/// <param name="ModSeq">The MODSEQ of the change (for Expunged: the tombstone's MODSEQ).</param>
/// <param name="Message">The message after the change, for Added and FlagsChanged.</param>
public readonly record struct FolderChange(FolderChangeKind Kind, uint Uid, ulong ModSeq, MessageInfo? Message = null);
