namespace ImapProxy.Upstream.Sync;

/// <summary>How a sync run behaves.</summary>
public sealed class SyncOptions
{
    /// <summary>Compute and report the plan; change nothing (neither sides nor state).</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Confirms deletions the guard stopped: mass deletions in a folder, a folder deleted on one side while it still
    /// holds messages on the other, and deletions after one side emptied completely.
    /// </summary>
    public bool AllowMassDelete { get; init; }

    /// <summary>
    /// For a folder deleted on one side that still holds messages on the other: create it again and copy the
    /// messages back (instead of stopping).
    /// </summary>
    public bool RecreateDeletedFolders { get; init; }

    /// <summary>Share of a folder's messages a sync may delete on one side before the guard stops it (default 0.5).</summary>
    public double MassDeleteShare { get; init; } = 0.5;

    /// <summary>The guard only applies to folders holding more than this many messages (default 20).</summary>
    public int MassDeleteMinMessages { get; init; } = 20;

    /// <summary>Folders synchronised at once (bounded by the upstream connection limit).</summary>
    public int MaxParallelFolders { get; init; } = 1;

    /// <summary>
    /// Which folders this run looks at, by name (with <c>/</c> as delimiter); null for all. A folder left out is not
    /// paired, created, deleted or synced on either side, and its state is kept for the runs that include it.
    /// </summary>
    public Func<string, bool>? IncludeFolder { get; init; }

    /// <summary>Progress events, or null.</summary>
    public IProgress<SyncEvent>? Progress { get; init; }
}
