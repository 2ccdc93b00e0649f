using ImapProxy.Store.Index;
using ImapProxy.Store.Maildir;

namespace ImapProxy.Store;

/// <summary>
/// One account's local mirror: a Maildir tree (Maildir++ or fs layout) and its SQLite index
/// (default <c>&lt;mirror&gt;/.imapproxy-index.sqlite</c>). Lists, creates, deletes and renames folders and hands out
/// one shared <see cref="MailFolder"/> per folder. An existing Maildir is adopted on first open; a missing or corrupt
/// index is rebuilt from the Maildir (with new UIDVALIDITYs). Thread-safe.
/// </summary>
public sealed partial class AccountStore : IAsyncDisposable
{
    private readonly IndexDatabase _db;
    private readonly FolderNames _names;
    private readonly SemaphoreSlim _foldersGate = new(1, 1);
    private readonly Dictionary<string, MailFolder> _open = new(StringComparer.Ordinal);
    private bool _disposed;

    private AccountStore(string root, MailStoreOptions options, IndexDatabase db, string indexPath)
    {
        RootPath = root;
        Options = options;
        _db = db;
        IndexPath = indexPath;
        _names = new FolderNames(root, options.Layout);
        HostName = MaildirFileName.SanitizeHost(options.HostName ?? Environment.MachineName);
        Watcher = options.WatchFileSystem ? DirectoryWatcher.TryCreate() : null;
    }

    /// <summary>The mirror's root directory (INBOX's Maildir).</summary>
    public string RootPath { get; }

    /// <summary>Where the SQLite index lives.</summary>
    public string IndexPath { get; }

    /// <summary>The options the store was opened with.</summary>
    public MailStoreOptions Options { get; }

    /// <summary>The folder hierarchy separator in names (<c>/</c>) in both layouts.</summary>
    public static char HierarchySeparator => FolderNames.Separator;

    /// <summary>True if the index was unreadable (not SQLite, corrupt) or of another schema and was rebuilt at open.</summary>
    public bool IndexWasRebuilt => _db.WasRebuilt;

    internal string HostName { get; }

    /// <summary>The inotify watcher of all open folders; null when watching is off or not available.</summary>
    internal DirectoryWatcher? Watcher { get; }

    /// <summary>The MIME parser used at ingest; replaceable by tests.</summary>
    internal IMessageAnalyzer Analyzer { get; set; } = MimeMessageAnalyzer.Instance;

    /// <summary>Opens (creating if needed) the mirror at <paramref name="rootPath"/>.</summary>
    /// <exception cref="StoreIOException">The directory or the index cannot be created or opened.</exception>
    public static async Task<AccountStore> OpenAsync(string rootPath, MailStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootPath);
        options ??= new MailStoreOptions();
        string root = System.IO.Path.GetFullPath(rootPath);
        string indexPath = System.IO.Path.GetFullPath(options.IndexPath ?? System.IO.Path.Combine(root, MailStoreOptions.DefaultIndexFileName));
        try
        {
            foreach (var sub in new[] { "cur", "new", "tmp" }) Directory.CreateDirectory(System.IO.Path.Combine(root, sub));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(indexPath)!);
            var db = await IndexDatabase.OpenAsync(indexPath, cancellationToken).ConfigureAwait(false);
            return new AccountStore(root, options, db, indexPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new StoreIOException($"Cannot open the mail store at {root}: {e.Message}", e);
        }
    }

    /// <summary>All folders, INBOX first.</summary>
    public Task<IReadOnlyList<FolderInfo>> ListFoldersAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        try
        {
            return Task.FromResult<IReadOnlyList<FolderInfo>>(_names.ListOnDisk());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreIOException($"Cannot list folders: {e.Message}", e);
        }
    }

    /// <summary>Validates and normalises a folder name without touching the disk.</summary>
    /// <exception cref="InvalidFolderNameException">The name is not allowed.</exception>
    public string NormalizeFolderName(string name) => _names.Normalize(name);

    /// <summary>True if the folder exists on disk.</summary>
    public bool FolderExists(string name)
    {
        string normalized = _names.Normalize(name);
        return Directory.Exists(System.IO.Path.Combine(_names.PathOf(normalized), "cur"));
    }

    /// <summary>Opens a folder (adopting it into the index on first sight). Callers share the instance.</summary>
    /// <exception cref="FolderNotFoundException">No such folder.</exception>
    public async Task<MailFolder> OpenFolderAsync(string name, CancellationToken cancellationToken = default)
    {
        string normalized = _names.Normalize(name);
        await _foldersGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (_open.TryGetValue(normalized, out var folder)) return folder;
            folder = await LoadFolderAsync(normalized, cancellationToken).ConfigureAwait(false);
            _open[normalized] = folder;
            return folder;
        }
        finally { _foldersGate.Release(); }
    }

    private async Task<MailFolder> LoadFolderAsync(string name, CancellationToken cancellationToken)
    {
        string path = _names.PathOf(name);
        if (!Directory.Exists(System.IO.Path.Combine(path, "cur"))) throw new FolderNotFoundException(name);
        try
        {
            foreach (var sub in new[] { "new", "tmp" }) Directory.CreateDirectory(System.IO.Path.Combine(path, sub));
            MessageWriter.SweepTmp(System.IO.Path.Combine(path, "tmp"), Options.TmpGracePeriod);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreIOException($"Cannot open folder {name}: {e.Message}", e);
        }
        var row = await _db.GetFolderAsync(name, cancellationToken).ConfigureAwait(false);
        DovecotUidList? adopted = null;
        if (row is null)
        {
            adopted = await DovecotUidList.TryReadAsync(path, cancellationToken).ConfigureAwait(false);
            uint uidValidity = await IssueUidValidityAsync(adopted?.UidValidity, cancellationToken).ConfigureAwait(false);
            if (adopted is not null && adopted.UidValidity != uidValidity) adopted = null; // UIDs from an older era
            row = await _db.InsertFolderAsync(name, uidValidity, adopted?.NextUid ?? 1, cancellationToken).ConfigureAwait(false);
        }
        var messages = await _db.LoadStateAsync(row, cancellationToken).ConfigureAwait(false);
        bool namesLoaded = messages is null;
        messages ??= await _db.LoadMessagesAsync(row.Id, cancellationToken).ConfigureAwait(false);
        var folder = new MailFolder(this, _db, row, path, messages, namesLoaded) { AdoptedUidList = adopted };
        folder.LoadRecent(await _db.GetFirstRecentUidAsync(row.Id, cancellationToken).ConfigureAwait(false));
        folder.StartWatching();
        return folder;
    }

    /// <summary>
    /// Lets open folders that no session has selected give back what they can (their file names); the server's
    /// idle trimmer calls this once a burst of work is over. Returns how many folders were trimmed.
    /// </summary>
    public async Task<int> TrimIdleFoldersAsync(CancellationToken cancellationToken = default)
    {
        int trimmed = 0;
        foreach (var folder in await OpenFoldersAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await folder.TrimAsync().ConfigureAwait(false)) trimmed++;
        }
        return trimmed;
    }

    /// <summary>
    /// Lets open folders that no session has selected and no call used for <paramref name="idleFor"/> give back all
    /// their messages (see <see cref="MailFolder.ReleaseIfIdleAsync"/>); they stay open and read them again when next
    /// used. The server's idle trimmer calls this every few seconds. Returns how many folders released their messages.
    /// </summary>
    public async Task<int> ReleaseIdleFoldersAsync(TimeSpan idleFor, CancellationToken cancellationToken = default)
    {
        int released = 0;
        foreach (var folder in await OpenFoldersAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await folder.ReleaseIfIdleAsync(idleFor).ConfigureAwait(false)) released++;
        }
        return released;
    }

    private async Task<List<MailFolder>> OpenFoldersAsync(CancellationToken cancellationToken)
    {
        await _foldersGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _disposed ? [] : _open.Values.ToList();
        }
        finally { _foldersGate.Release(); }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Closes every open folder and the index.</summary>
    public async ValueTask DisposeAsync()
    {
        await _foldersGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var folder in _open.Values) await folder.CloseAsync(folderGone: false).ConfigureAwait(false);
            _open.Clear();
            Watcher?.Dispose();
            await _db.DisposeAsync().ConfigureAwait(false);
        }
        finally { _foldersGate.Release(); }
    }
}
