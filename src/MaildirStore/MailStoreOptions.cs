namespace ImapProxy.Store;

/// <summary>Settings for <see cref="AccountStore.OpenAsync"/>.</summary>
public sealed record MailStoreOptions
{
    /// <summary>File name of the index inside the mirror root when <see cref="IndexPath"/> is not set.</summary>
    public const string DefaultIndexFileName = ".imapproxy-index.sqlite";

    /// <summary>The folder layout on disk. Default: Maildir++.</summary>
    public MaildirLayout Layout { get; init; } = MaildirLayout.MaildirPlusPlus;

    /// <summary>Where the SQLite index lives; default <c>&lt;mirror&gt;/.imapproxy-index.sqlite</c>.</summary>
    public string? IndexPath { get; init; }

    /// <summary>Leftover files in <c>tmp/</c> older than this are deleted (the Maildir spec suggests 36 hours).</summary>
    public TimeSpan TmpGracePeriod { get; init; } = TimeSpan.FromHours(36);

    /// <summary>How <see cref="AppendBatch"/> makes its files durable before renaming them into place.</summary>
    public BatchDurability BatchDurability { get; init; } = BatchDurability.FileSystem;

    /// <summary>Watch open folders with a <see cref="FileSystemWatcher"/> so other writers are noticed promptly.</summary>
    public bool WatchFileSystem { get; init; } = true;

    /// <summary>Host name used in new Maildir file names; default the machine name.</summary>
    public string? HostName { get; init; }

    /// <summary>How many changes a subscriber may fall behind before it is told to resync.</summary>
    public int SubscriberCapacity { get; init; } = 4096;
}
