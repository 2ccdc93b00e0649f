using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>A folder pair to synchronise, with each side's status (null: the folder does not exist there yet, dry run).</summary>
internal sealed record FolderWork(FolderPairState Pair, FolderStatus?[] Status);
