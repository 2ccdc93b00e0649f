namespace ImapProxy.Upstream.Sync;

/// <summary>The operation names written to the journal.</summary>
internal static class JournalOps
{
    public const string Copy = "copy";
    public const string CopyBatch = "copy-batch";
    public const string Move = "move";
    public const string Expunge = "expunge";
    public const string Flags = "flags";
    public const string CreateFolder = "mkdir";
    public const string DeleteFolder = "rmdir";
    public const string RenameFolder = "rename";
}
