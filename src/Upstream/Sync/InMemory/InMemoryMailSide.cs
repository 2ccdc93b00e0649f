using System.Text;

namespace ImapProxy.Upstream.Sync.InMemory;

/// <summary>
/// A complete <see cref="IMailSide"/> held in memory: folders with UIDVALIDITY, UIDNEXT, per-folder modseqs and
/// vanished tracking, and capabilities that can be switched off to exercise the engine's slow paths. Used by the
/// sync tests and the dry-run demo; thread-safe.
/// </summary>
public sealed class InMemoryMailSide : IMailSide
{
    private readonly object _lock = new();
    private readonly Dictionary<string, InMemoryFolder> _folders = new(StringComparer.Ordinal);
    private uint _nextUidValidity;
    private long _nextContentKey;

    /// <summary>Creates an empty side.</summary>
    /// <param name="name">Name for reports.</param>
    /// <param name="capabilities">Capabilities to advertise and honour.</param>
    /// <param name="firstUidValidity">First UIDVALIDITY handed out (use different ones per side to catch mix-ups).</param>
    public InMemoryMailSide(string name, SideCapabilities capabilities, uint firstUidValidity = 1000)
    {
        Name = name;
        Capabilities = capabilities;
        _nextUidValidity = firstUidValidity;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public SideCapabilities Capabilities { get; }

    private bool Has(SideCapabilities capability) => (Capabilities & capability) != 0;

    /// <inheritdoc />
    public Task<IReadOnlyList<FolderStatus>> ListFoldersAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<FolderStatus> list = _folders.OrderBy(f => f.Key, StringComparer.Ordinal)
                .Select(f => Strip(f.Value.Status(f.Key))).ToList();
            return Task.FromResult(list);
        }
    }

    private FolderStatus Strip(FolderStatus status) => Has(SideCapabilities.ModSeq) ? status : status with { HighestModSeq = 0 };

    /// <inheritdoc />
    public Task<FolderStatus> CreateFolderAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_folders.TryGetValue(name, out var folder))
            {
                folder = new InMemoryFolder(_nextUidValidity++);
                _folders.Add(name, folder);
            }
            return Task.FromResult(Strip(folder.Status(name)));
        }
    }

    /// <inheritdoc />
    public Task DeleteFolderAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _folders.Remove(name);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RenameFolderAsync(string oldName, string newName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_folders.ContainsKey(newName))
            {
                throw new InvalidOperationException($"{Name}: cannot rename {oldName} to {newName}: it exists");
            }
            var folder = Get(oldName);
            _folders.Remove(oldName);
            _folders.Add(newName, folder);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<FolderListing> ListMessagesAsync(string folder, ulong changedSinceModSeq, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var f = Get(folder);
            var delta = changedSinceModSeq > 0 && Has(SideCapabilities.ModSeq);
            var messages = f.Messages
                .Where(m => !delta || m.Value.ModSeq > changedSinceModSeq)
                .Select(m => new MessageInfo(m.Key, m.Value.Flags, Has(SideCapabilities.ModSeq) ? m.Value.ModSeq : 0))
                .ToList();
            var vanished = delta
                ? f.Expunged.Where(e => e.ModSeq > changedSinceModSeq).Select(e => e.Uid).ToList()
                : new List<uint>();
            var modSeq = Has(SideCapabilities.ModSeq) ? f.HighestModSeq : 0;
            return Task.FromResult(new FolderListing(f.UidValidity, f.UidNext, modSeq, messages, vanished, delta) { MessageCount = f.Messages.Count });
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MessageIdentity>> FetchIdentitiesAsync(
        string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var f = Get(folder);
            IReadOnlyList<MessageIdentity> list = uids
                .Where(f.Messages.ContainsKey)
                .Select(uid => Identity(uid, f.Messages[uid]))
                .ToList();
            return Task.FromResult(list);
        }
    }

    private MessageIdentity Identity(uint uid, InMemoryMessage m) =>
        new(uid, m.MessageId, m.Content.Length, m.InternalDate, Has(SideCapabilities.ContentKeys) ? m.ContentKey : null);

    /// <inheritdoc />
    public Task<Stream?> OpenMessageAsync(string folder, uint uid, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var f = Get(folder);
            Stream? stream = f.Messages.TryGetValue(uid, out var m) ? new MemoryStream(m.Content, writable: false) : null;
            return Task.FromResult(stream);
        }
    }

    /// <inheritdoc />
    public async Task ReadMessagesAsync(string folder, IReadOnlyList<uint> uids, IMessageSink sink, CancellationToken cancellationToken)
    {
        foreach (var uid in uids)
        {
            byte[] content;
            lock (_lock)
            {
                if (!Get(folder).Messages.TryGetValue(uid, out var m))
                {
                    continue;
                }
                content = m.Content;
            }
            var target = await sink.OpenAsync(uid, content.Length, cancellationToken).ConfigureAwait(false);
            await target.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            await sink.CompleteAsync(uid, target, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>Each message is appended as it is added, as an IMAP server would (APPENDs are independent).</remarks>
    public Task<IAppendBatch> BeginAppendBatchAsync(string folder, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Get(folder);
        }
        return Task.FromResult<IAppendBatch>(new InMemoryAppendBatch(this, folder));
    }

    /// <inheritdoc />
    public Task DiscardBatchAsync(string folder, string token, CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class InMemoryAppendBatch(InMemoryMailSide side, string folder) : IAppendBatch
    {
        private readonly List<AppendedCopy?> _results = new();

        public string Token => "memory";

        public ValueTask<Stream> StartAsync(long lengthHint, CancellationToken cancellationToken) => ValueTask.FromResult<Stream>(new MemoryStream());

        public async ValueTask<int> AddAsync(Stream written, FlagSet flags, DateTimeOffset internalDate, CancellationToken cancellationToken)
        {
            await using (written.ConfigureAwait(false))
            {
                written.Position = 0;
                var uid = await side.AppendAsync(folder, written, written.Length, flags, internalDate, cancellationToken).ConfigureAwait(false);
                _results.Add(new AppendedCopy(uid, null));
            }
            return _results.Count - 1;
        }

        public Task<BatchCommit> CommitAsync(CancellationToken cancellationToken) => Task.FromResult(new BatchCommit(_results.ToList()));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<uint?> AppendAsync(
        string folder, Stream content, long size, FlagSet flags, DateTimeOffset internalDate, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        if (bytes.Length != size)
        {
            throw new InvalidDataException($"{Name}: append to {folder}: announced {size} octets, got {bytes.Length}");
        }
        lock (_lock)
        {
            var key = "k" + Interlocked.Increment(ref _nextContentKey);
            var uid = Add(Get(folder), new InMemoryMessage(bytes, key, internalDate, ParseMessageId(bytes)), flags);
            return Has(SideCapabilities.AppendUid) ? uid : null;
        }
    }

    private static uint Add(InMemoryFolder f, InMemoryMessage message, FlagSet flags)
    {
        var uid = f.UidNext++;
        message.Flags = flags;
        message.ModSeq = f.NextModSeq();
        f.Messages.Add(uid, message);
        return uid;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<uint>> FindMessagesAsync(
        string folder, string? messageId, long size, uint minUid, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<uint> found = Get(folder).Messages
                .Where(m => m.Key >= minUid && m.Value.Content.Length == size
                            && string.Equals(m.Value.MessageId, messageId, StringComparison.Ordinal))
                .Select(m => m.Key)
                .ToList();
            return Task.FromResult(found);
        }
    }

    /// <inheritdoc />
    public Task<bool> StoreFlagsAsync(
        string folder, uint uid, FlagSet add, FlagSet remove, ulong unchangedSinceModSeq, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var f = Get(folder);
            if (!f.Messages.TryGetValue(uid, out var m))
            {
                return Task.FromResult(false);
            }
            if (unchangedSinceModSeq > 0 && Has(SideCapabilities.ConditionalStore) && m.ModSeq > unchangedSinceModSeq)
            {
                return Task.FromResult(false);
            }
            var flags = m.Flags.Union(add).Except(remove);
            if (!flags.Equals(m.Flags))
            {
                m.Flags = flags;
                m.ModSeq = f.NextModSeq();
            }
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task ExpungeAsync(string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var f = Get(folder);
            foreach (var uid in uids)
            {
                if (f.Messages.Remove(uid))
                {
                    f.Expunged.Add((uid, f.NextModSeq()));
                }
            }
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<uint, uint>?> MoveAsync(
        string fromFolder, IReadOnlyCollection<uint> uids, string toFolder, CancellationToken cancellationToken)
    {
        if (!Has(SideCapabilities.Move))
        {
            throw new NotSupportedException($"{Name} has no MOVE");
        }
        lock (_lock)
        {
            var from = Get(fromFolder);
            var to = Get(toFolder);
            var map = new Dictionary<uint, uint>();
            foreach (var uid in uids.Order())
            {
                if (from.Messages.Remove(uid, out var m))
                {
                    from.Expunged.Add((uid, from.NextModSeq()));
                    map[uid] = Add(to, m, m.Flags);
                }
            }
            return Task.FromResult<IReadOnlyDictionary<uint, uint>?>(Has(SideCapabilities.AppendUid) ? map : null);
        }
    }

    /// <summary>
    /// Test control: gives a folder a new UIDVALIDITY and renumbers its messages from 1, as a server does when it
    /// rebuilds its index (or as a rebuilt local index does).
    /// </summary>
    public void ResetUidValidity(string folder)
    {
        lock (_lock)
        {
            var f = Get(folder);
            var messages = f.Messages.Values.ToList();
            f.Messages.Clear();
            f.Expunged.Clear();
            f.UidValidity = _nextUidValidity++;
            f.UidNext = 1;
            foreach (var m in messages)
            {
                Add(f, m, m.Flags);
            }
        }
    }

    /// <summary>Test control: every folder's messages as (UID, content, flags), for comparisons.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(uint Uid, byte[] Content, FlagSet Flags)>> Snapshot()
    {
        lock (_lock)
        {
            return _folders.ToDictionary(
                f => f.Key,
                f => (IReadOnlyList<(uint, byte[], FlagSet)>)f.Value.Messages.Select(m => (m.Key, m.Value.Content, m.Value.Flags)).ToList(),
                StringComparer.Ordinal);
        }
    }

    private InMemoryFolder Get(string name) =>
        _folders.TryGetValue(name, out var f) ? f : throw new DirectoryNotFoundException($"{Name}: no folder {name}");

    /// <summary>Extracts the Message-ID header value from a message's header section, or null.</summary>
    internal static string? ParseMessageId(byte[] content)
    {
        var text = Encoding.Latin1.GetString(content);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var header = end < 0 ? text : text[..end];
        foreach (var line in header.Split("\r\n"))
        {
            if (line.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
            {
                var value = line["Message-ID:".Length..].Trim();
                return value.Length == 0 ? null : value;
            }
        }
        return null;
    }
}
