namespace ImapProxy.Upstream.Sync;

/// <summary>What a sync run did (or, in a dry run, would do) in one folder.</summary>
public sealed class FolderReport
{
    /// <summary>The folder.</summary>
    public required string Folder { get; init; }

    /// <summary>True when both sides' status was unchanged and the folder was not even listed.</summary>
    public bool Unchanged { get; set; }

    /// <summary>Why the folder is stopped (guard), or null.</summary>
    public string? Stopped { get; set; }

    /// <summary>The plan (also in a real run).</summary>
    public FolderPlan? Plan { get; set; }

    /// <summary>Messages copied to each side.</summary>
    public int[] Copied { get; } = new int[2];

    /// <summary>Messages whose flags changed on each side.</summary>
    public int[] FlagsChanged { get; } = new int[2];

    /// <summary>Messages expunged on each side.</summary>
    public int[] Expunged { get; } = new int[2];

    /// <summary>Octets copied.</summary>
    public long Bytes { get; set; }

    /// <summary>True when everything planned was done, so the state's status marks advanced.</summary>
    public bool Complete { get; set; }

    /// <summary>Notes and warnings.</summary>
    public List<string> Notes { get; } = new();

    /// <summary>The error that ended this folder's sync, or null.</summary>
    public string? Error { get; set; }
}

/// <summary>What a sync run did, or would do.</summary>
public sealed class SyncReport
{
    /// <summary>True for a dry run.</summary>
    public bool DryRun { get; init; }

    /// <summary>Journal entries left by an interrupted run and reconciled at start.</summary>
    public int ReplayedIntents { get; set; }

    /// <summary>Folder-level actions (create, delete, rename), done or planned.</summary>
    public List<string> FolderActions { get; } = new();

    /// <summary>Moves done (or planned) between folders.</summary>
    public List<MoveAction> Moves { get; } = new();

    /// <summary>Per-folder reports.</summary>
    public List<FolderReport> Folders { get; } = new();

    /// <summary>Account-wide warnings.</summary>
    public List<string> Warnings { get; } = new();

    /// <summary>Why the whole run stopped before touching any folder, or null.</summary>
    public string? Aborted { get; set; }

    /// <summary>True when nothing was aborted, stopped or failed.</summary>
    public bool Success => Aborted is null && Folders.All(f => f.Stopped is null && f.Error is null);
}
