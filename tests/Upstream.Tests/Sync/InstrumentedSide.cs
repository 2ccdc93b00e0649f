using System.Collections.Concurrent;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>Shared fault schedule: the <see cref="FailAt"/>-th mutating operation (over both sides) "crashes".</summary>
internal sealed class FaultPlan
{
    private int _count;

    /// <summary>1-based index of the mutating operation that fails; 0 = never.</summary>
    public int FailAt { get; set; }

    /// <summary>True: the operation takes effect, then the crash (lost reply). False: crash before it.</summary>
    public bool AfterEffect { get; set; }

    /// <summary>True once the crash happened: from then on every call fails, as in a dead process.</summary>
    public bool Dead { get; private set; }

    public bool Triggered { get; private set; }

    public int Count => _count;

    public void Reset()
    {
        FailAt = 0;
        Dead = false;
    }

    /// <summary>Called before a mutating operation; returns true when it must fail after taking effect.</summary>
    public bool Enter()
    {
        ThrowIfDead();
        if (Interlocked.Increment(ref _count) != FailAt)
        {
            return false;
        }
        Triggered = true;
        Dead = true;
        if (!AfterEffect)
        {
            throw new SimulatedCrashException($"crash before mutating operation {FailAt}");
        }
        return true;
    }

    public void ThrowIfDead()
    {
        if (Dead)
        {
            throw new SimulatedCrashException("side is dead after a simulated crash");
        }
    }
}

internal sealed class SimulatedCrashException(string message) : IOException(message);

/// <summary>Wraps a side: counts calls per operation and injects crashes from a shared <see cref="FaultPlan"/>.</summary>
internal sealed class InstrumentedSide(IMailSide inner, FaultPlan faults) : IMailSide
{
    private readonly FaultPlan faults = faults;

    public ConcurrentDictionary<string, int> Calls { get; } = new();

    public IMailSide Inner => inner;

    public string Name => inner.Name;

    public SideCapabilities Capabilities => inner.Capabilities;

    public int CallCount(string op) => Calls.GetValueOrDefault(op);

    private void Read(string op)
    {
        faults.ThrowIfDead();
        Calls.AddOrUpdate(op, 1, (_, n) => n + 1);
    }

    private async Task<T> Write<T>(string op, Func<Task<T>> action)
    {
        Calls.AddOrUpdate(op, 1, (_, n) => n + 1);
        var crashAfter = faults.Enter();
        var result = await action();
        if (crashAfter)
        {
            throw new SimulatedCrashException($"crash after {op} took effect");
        }
        return result;
    }

    private Task Write(string op, Func<Task> action) => Write(op, async () => { await action(); return 0; });

    public Task<IReadOnlyList<FolderStatus>> ListFoldersAsync(CancellationToken ct)
    {
        Read("list-folders");
        return inner.ListFoldersAsync(ct);
    }

    public Task<FolderStatus> CreateFolderAsync(string name, CancellationToken ct) =>
        Write("create", () => inner.CreateFolderAsync(name, ct));

    public Task DeleteFolderAsync(string name, CancellationToken ct) => Write("delete", () => inner.DeleteFolderAsync(name, ct));

    public Task RenameFolderAsync(string oldName, string newName, CancellationToken ct) =>
        Write("rename", () => inner.RenameFolderAsync(oldName, newName, ct));

    public Task<FolderListing> ListMessagesAsync(string folder, ulong changedSinceModSeq, CancellationToken ct)
    {
        Read(changedSinceModSeq > 0 ? "list-delta" : "list-all");
        return inner.ListMessagesAsync(folder, changedSinceModSeq, ct);
    }

    public Task<IReadOnlyList<MessageIdentity>> FetchIdentitiesAsync(string folder, IReadOnlyCollection<uint> uids, CancellationToken ct)
    {
        Read("identities");
        return inner.FetchIdentitiesAsync(folder, uids, ct);
    }

    public Task<Stream?> OpenMessageAsync(string folder, uint uid, CancellationToken ct)
    {
        Read("open");
        return inner.OpenMessageAsync(folder, uid, ct);
    }

    public Task<uint?> AppendAsync(string folder, Stream content, long size, FlagSet flags, DateTimeOffset date, CancellationToken ct) =>
        Write("append", () => inner.AppendAsync(folder, content, size, flags, date, ct));

    public Task ReadMessagesAsync(string folder, IReadOnlyList<uint> uids, IMessageSink sink, CancellationToken ct)
    {
        Read("read");
        return inner.ReadMessagesAsync(folder, uids, sink, ct);
    }

    public async Task<IAppendBatch> BeginAppendBatchAsync(string folder, CancellationToken ct)
    {
        faults.ThrowIfDead();
        return new InstrumentedBatch(this, await inner.BeginAppendBatchAsync(folder, ct));
    }

    public Task DiscardBatchAsync(string folder, string token, CancellationToken ct) =>
        Write("discard", () => inner.DiscardBatchAsync(folder, token, ct));

    /// <summary>Each message added is an "append" and the commit a "commit": both are crash points.</summary>
    private sealed class InstrumentedBatch(InstrumentedSide side, IAppendBatch inner) : IAppendBatch
    {
        public string Token => inner.Token;

        public ValueTask<Stream> StartAsync(long lengthHint, CancellationToken ct)
        {
            side.faults.ThrowIfDead();
            return inner.StartAsync(lengthHint, ct);
        }

        public async ValueTask<int> AddAsync(Stream written, FlagSet flags, DateTimeOffset date, CancellationToken ct) =>
            await side.Write("append", async () => await inner.AddAsync(written, flags, date, ct));

        public Task<BatchCommit> CommitAsync(CancellationToken ct) => side.Write("commit", () => inner.CommitAsync(ct));

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    public Task<IReadOnlyList<uint>> FindMessagesAsync(string folder, string? messageId, long size, uint minUid, CancellationToken ct)
    {
        Read("find");
        return inner.FindMessagesAsync(folder, messageId, size, minUid, ct);
    }

    /// <summary>Runs just before each flag store reaches the side: another client's change racing the engine's.</summary>
    public Func<Task>? BeforeStore { get; set; }

    /// <summary>Runs just after each flag store took effect, before the engine hears of it.</summary>
    public Func<Task>? AfterStore { get; set; }

    public Task<bool> StoreFlagsAsync(string folder, uint uid, FlagSet add, FlagSet remove, ulong since, CancellationToken ct) =>
        Write("store", async () =>
        {
            if (BeforeStore is { } before)
            {
                await before();
            }
            var stored = await inner.StoreFlagsAsync(folder, uid, add, remove, since, ct);
            if (AfterStore is { } after)
            {
                await after();
            }
            return stored;
        });

    public Task ExpungeAsync(string folder, IReadOnlyCollection<uint> uids, CancellationToken ct) =>
        Write("expunge", () => inner.ExpungeAsync(folder, uids, ct));

    public Task<IReadOnlyDictionary<uint, uint>?> MoveAsync(string from, IReadOnlyCollection<uint> uids, string to, CancellationToken ct) =>
        Write("move", () => inner.MoveAsync(from, uids, to, ct));
}
