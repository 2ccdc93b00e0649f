using ImapProxy.Store.Index;
using ImapProxy.Store.Maildir;

namespace ImapProxy.Store;

/// <summary>
/// An open folder of an <see cref="AccountStore"/>: its UIDVALIDITY / UIDNEXT / HIGHESTMODSEQ, its messages and every
/// operation on them. One instance per folder is shared by all callers (sessions, the synchronizer); it is safe to use
/// concurrently. Every call first notices what other writers did to the Maildir (cheaply: directory mtimes).
/// </summary>
public sealed partial class MailFolder
{
    private readonly AccountStore _account;
    private readonly IndexDatabase _db;
    private readonly FolderRow _row;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ChangeHub _hub = new();
    private List<MessageEntry> _messages;
    private Dictionary<string, MessageEntry> _byFileName;
    private bool _closed;
    private bool _reloadNeeded;
    /// <summary>False while the messages came from the state blob: file names are then read on first need.</summary>
    private bool _namesLoaded;
    /// <summary>True when the state blob in the index no longer matches the messages (written again at close).</summary>
    private bool _stateStale;
    /// <summary>True while the messages are given back (<see cref="ReleaseIfIdleAsync"/>): the next call reads them again.</summary>
    private bool _released;
    /// <summary>When a call last entered (<see cref="Environment.TickCount64"/>).</summary>
    private long _lastUsed = Environment.TickCount64;

    internal MailFolder(AccountStore account, IndexDatabase db, FolderRow row, string path, List<MessageEntry> messages, bool namesLoaded)
    {
        _account = account;
        _db = db;
        _row = row;
        Path = path;
        NewDirectory = System.IO.Path.Combine(path, "new");
        CurDirectory = System.IO.Path.Combine(path, "cur");
        TmpDirectory = System.IO.Path.Combine(path, "tmp");
        _messages = messages;
        _namesLoaded = namesLoaded;
        _stateStale = namesLoaded;
        OpenedFromState = !namesLoaded;
        _byFileName = namesLoaded ? IndexByFileName(messages) : new Dictionary<string, MessageEntry>(StringComparer.Ordinal);
    }

    /// <summary>The folder's name (Unicode, <c>/</c>-separated).</summary>
    public string Name => _row.Name;

    /// <summary>The folder's Maildir directory.</summary>
    public string Path { get; }

    /// <summary>UIDVALIDITY; fixed for the life of this folder's index entry.</summary>
    public uint UidValidity => _row.UidValidity;

    /// <summary>True if this instance was opened from the packed state blob rather than the message rows.</summary>
    internal bool OpenedFromState { get; }

    /// <summary>How many times new/ and cur/ were listed in full (the watcher's events should make this rare).</summary>
    internal int Listings { get; private set; }

    internal string NewDirectory { get; }
    internal string CurDirectory { get; }
    internal string TmpDirectory { get; }
    internal long Id => _row.Id;

    /// <summary>The folder's current status, after noticing other writers' changes.</summary>
    public async Task<FolderStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try { return StatusLocked(); }
        finally { _gate.Release(); }
    }

    /// <summary>Status and all messages (UID order), after noticing other writers' changes: what SELECT needs.</summary>
    public async Task<FolderSnapshot> SelectAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var infos = new MessageInfo[_messages.Count];
            for (int i = 0; i < infos.Length; i++) infos[i] = _messages[i].ToInfo();
            return new FolderSnapshot(StatusLocked(), infos);
        }
        finally { _gate.Release(); }
    }

    /// <summary>UIDs expunged with a MODSEQ above <paramref name="modSeq"/> (for QRESYNC VANISHED), ascending.</summary>
    public async Task<IReadOnlyList<uint>> GetExpungedSinceAsync(ulong modSeq, CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try { return await _db.GetExpungedSinceAsync(_row.Id, modSeq, cancellationToken).ConfigureAwait(false); }
        finally { _gate.Release(); }
    }

    /// <summary>Opens the message's bytes for reading (as stored: line ends as on disk).</summary>
    /// <exception cref="MessageNotFoundException">No such UID (or its file vanished).</exception>
    public async Task<Stream> OpenMessageAsync(uint uid, CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            await EnterAsync(cancellationToken, forceScan: attempt > 0).ConfigureAwait(false);
            try
            {
                var entry = Find(uid) ?? throw new MessageNotFoundException(uid);
                try
                {
                    string path = _namesLoaded ? PathOf(entry) : await PathFromIndexAsync(uid, cancellationToken).ConfigureAwait(false);
                    return new FileStream(path, new FileStreamOptions
                    {
                        Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete,
                        Options = FileOptions.Asynchronous | FileOptions.SequentialScan, BufferSize = 0,
                    });
                }
                catch (FileNotFoundException) when (attempt == 0)
                {
                    // Another writer renamed or removed it since our last look: rescan and try once more.
                }
                catch (FileNotFoundException e)
                {
                    throw new MessageNotFoundException(uid, e);
                }
            }
            finally { _gate.Release(); }
        }
    }

    /// <summary>The cached ENVELOPE / BODYSTRUCTURE / BODY; computed now (and cached) if ingest could not.</summary>
    public async Task<MessageDetails> GetDetailsAsync(uint uid, CancellationToken cancellationToken = default)
    {
        var cached = await _db.GetCacheAsync(_row.Id, uid, cancellationToken).ConfigureAwait(false);
        if (cached is { IsAnalyzed: true }) return new MessageDetails(uid, cached.Envelope, cached.BodyStructure, cached.Body, cached.MessageId);
        await using var stream = await OpenMessageAsync(uid, cancellationToken).ConfigureAwait(false);
        CachedAnalysis analysis;
        try
        {
            analysis = (await _account.Analyzer.AnalyzeAsync(stream, cancellationToken).ConfigureAwait(false)).Cache;
        }
        catch (Exception e) when (e is not OperationCanceledException and not IOException)
        {
            analysis = CachedAnalysis.None; // a parser bug must not fail the FETCH of everything else
        }
        if (analysis.IsAnalyzed) await _db.SetCacheAsync(_row.Id, uid, analysis, cancellationToken).ConfigureAwait(false);
        return new MessageDetails(uid, analysis.Envelope, analysis.BodyStructure, analysis.Body, analysis.MessageId);
    }

    /// <summary>
    /// One message's SELECT data and its Maildir base name (the file name without the <c>:2,flags</c> part), which
    /// stays the same when the message is moved to another folder (here or by a program renaming the file), so a
    /// synchroniser can recognise a move. Null when there is no such UID.
    /// </summary>
    public async Task<(MessageInfo Info, string BaseName)?> FindMessageAsync(uint uid, CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureNamesLockedAsync(cancellationToken).ConfigureAwait(false);
            if (Find(uid) is not { } entry) return null;
            return (entry.ToInfo(), MaildirFileName.BaseName(entry.FileName));
        }
        finally { _gate.Release(); }
    }

    /// <summary>Subscribes to this folder's changes (new, expunged, flags; each with its MODSEQ).</summary>
    /// <param name="capacity">How many changes may queue before the subscriber gets a resync instead.</param>
    /// <param name="passive">
    /// True for a follower that only wants to hear of changes (the synchronizer's watcher). A passive subscriber does
    /// not keep the messages in memory: an idle folder with only passive subscribers may give them back, and reads
    /// them again on the next call. A session that has the folder selected subscribes actively.
    /// </param>
    public FolderSubscription Subscribe(int? capacity = null, bool passive = false) =>
        _hub.Subscribe(capacity ?? _account.Options.SubscriberCapacity, passive);

    private FolderStatus StatusLocked()
    {
        int unseen = 0;
        foreach (var m in _messages) if ((m.Flags & MessageFlags.Seen) == 0) unseen++;
        return new FolderStatus(_row.UidValidity, _row.UidNext, _row.HighestModSeq, _messages.Count, unseen);
    }

    private MessageEntry? Find(uint uid)
    {
        int lo = 0, hi = _messages.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            uint u = _messages[mid].Uid;
            if (u == uid) return _messages[mid];
            if (u < uid) lo = mid + 1; else hi = mid - 1;
        }
        return null;
    }

    /// <summary>A message's path while the names are not loaded: one look-up instead of loading 100,000 names.</summary>
    private async Task<string> PathFromIndexAsync(uint uid, CancellationToken cancellationToken)
    {
        var found = await _db.GetFileNameAsync(_row.Id, uid, cancellationToken).ConfigureAwait(false);
        if (found is not var (fileName, inNew)) throw new FileNotFoundException("Not in the index", uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return System.IO.Path.Combine(inNew ? NewDirectory : CurDirectory, fileName);
    }

    /// <summary>Loads every message's file name (once): scans, renames, expunges and transfers need them.</summary>
    private async Task EnsureNamesLockedAsync(CancellationToken cancellationToken)
    {
        if (_namesLoaded) return;
        var names = await _db.LoadNamesAsync(_row.Id, cancellationToken).ConfigureAwait(false);
        if (names.Count != _messages.Count)
        {
            await ReloadLockedAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i].Uid != _messages[i].Uid)
            {
                await ReloadLockedAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        for (int i = 0; i < names.Count; i++)
        {
            _messages[i].FileName = names[i].FileName;
            _messages[i].InNew = names[i].InNew;
        }
        _byFileName = IndexByFileName(_messages);
        _namesLoaded = true;
    }

    private async Task ReloadLockedAsync(CancellationToken cancellationToken)
    {
        _messages = await _db.LoadMessagesAsync(_row.Id, cancellationToken).ConfigureAwait(false);
        _byFileName = IndexByFileName(_messages);
        _namesLoaded = true;
        _stateStale = true;
    }

    internal string PathOf(MessageEntry entry) => System.IO.Path.Combine(entry.InNew ? NewDirectory : CurDirectory, entry.FileName);

    private static Dictionary<string, MessageEntry> IndexByFileName(List<MessageEntry> messages)
    {
        var map = new Dictionary<string, MessageEntry>(messages.Count, StringComparer.Ordinal);
        foreach (var m in messages) map[m.FileName] = m;
        return map;
    }

    /// <summary>Takes the folder's lock and brings it up to date with the disk; callers release <c>_gate</c>.</summary>
    private async Task EnterAsync(CancellationToken cancellationToken, bool forceScan = false)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_closed) throw new FolderNotFoundException(Name);
            _lastUsed = Environment.TickCount64;
            if (_released) await LoadReleasedLockedAsync(cancellationToken).ConfigureAwait(false);
            if (_reloadNeeded)
            {
                await ReloadLockedAsync(cancellationToken).ConfigureAwait(false);
                _reloadNeeded = false;
                forceScan = true;
            }
            await RefreshLockedAsync(forceScan, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>Writes the state blob, so the next open need not read every row; a failure only costs that speed.</summary>
    private async Task SaveStateAsync()
    {
        try
        {
            var blob = FolderStateBlob.Encode(_messages, _row.HighestModSeq, _row.UidNext);
            await _db.SaveStateAsync(_row.Id, blob, CancellationToken.None).ConfigureAwait(false);
            _stateStale = false;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Disk full or read-only index: the rows stay authoritative.
        }
    }

    private async Task TryRecordVerifiedAtCloseLockedAsync()
    {
        try
        {
            await RecordVerifiedAtCloseLockedAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is MailStoreException or IOException or UnauthorizedAccessException)
        {
            // Only costs the next process a listing.
        }
    }

    /// <summary>Ends this instance (folder deleted or renamed, or the account closing).</summary>
    internal async Task CloseAsync(bool folderGone)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!folderGone && !_closed && !_reloadNeeded && !_released) await TryRecordVerifiedAtCloseLockedAsync().ConfigureAwait(false);
            _closed = true;
            StopWatching();
            if (!folderGone && _stateStale && !_reloadNeeded) await SaveStateAsync().ConfigureAwait(false);
            _hub.CompleteAll(folderGone);
        }
        finally { _gate.Release(); }
    }
}
