using System.Threading.Channels;

namespace ImapProxy.Store;

/// <summary>
/// One subscriber's view of a folder's changes. Bounded: a subscriber that falls behind by more than its capacity
/// loses the queued changes and gets a single <see cref="FolderChangeKind.ResyncNeeded"/> instead, so writers never wait.
/// Dispose it to unsubscribe.
/// </summary>
public sealed class FolderSubscription : IDisposable
{
    private readonly Channel<FolderChange> _channel;
    private readonly ChangeHub _hub;
    private readonly int _capacity;
    private int _count;

    /// <summary>A follower that only listens (the synchronizer's watcher): it does not keep the messages in memory.</summary>
    internal bool Passive { get; }

    internal FolderSubscription(ChangeHub hub, int capacity, bool passive)
    {
        _hub = hub;
        Passive = passive;
        _capacity = Math.Max(2, capacity);
        // Unbounded channel with our own count: the writer decides what to drop, never blocks.
        _channel = Channel.CreateUnbounded<FolderChange>(new UnboundedChannelOptions { SingleReader = false });
    }

    /// <summary>Waits until a change can be read; false once the subscription has ended.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes the next change if one is queued.</summary>
    public bool TryRead(out FolderChange change)
    {
        if (!_channel.Reader.TryRead(out change)) return false;
        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>Reads changes until the subscription ends or <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<FolderChange> ReadAllAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryRead(out var change))
                yield return change;
        }
    }

    /// <summary>Called with the hub's lock held, so writes are ordered.</summary>
    internal void Publish(FolderChange change)
    {
        if (Volatile.Read(ref _count) >= _capacity)
        {
            // Overflow: drop what is queued and leave one resync signal in its place.
            while (_channel.Reader.TryRead(out _))
                Interlocked.Decrement(ref _count);
            change = new FolderChange(FolderChangeKind.ResyncNeeded, 0, 0);
        }
        Interlocked.Increment(ref _count);
        _channel.Writer.TryWrite(change);
    }

    internal void Complete() => _channel.Writer.TryComplete();

    /// <inheritdoc />
    public void Dispose()
    {
        _hub.Remove(this);
        _channel.Writer.TryComplete();
    }
}

/// <summary>Fans a folder's changes out to its subscribers.</summary>
internal sealed class ChangeHub
{
    private readonly Lock _lock = new();
    private FolderSubscription[] _subscribers = [];

    public bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

    /// <summary>True while a subscriber that reads the folder (a session with it selected) is there.</summary>
    public bool HasActiveSubscribers => Volatile.Read(ref _subscribers).Any(s => !s.Passive);

    public FolderSubscription Subscribe(int capacity, bool passive)
    {
        var subscription = new FolderSubscription(this, capacity, passive);
        lock (_lock) _subscribers = [.. _subscribers, subscription];
        return subscription;
    }

    public void Remove(FolderSubscription subscription)
    {
        lock (_lock) _subscribers = _subscribers.Where(s => s != subscription).ToArray();
    }

    public void Publish(IReadOnlyList<FolderChange> changes)
    {
        if (changes.Count == 0) return;
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
                foreach (var change in changes)
                    subscriber.Publish(change);
        }
    }

    public void CompleteAll(bool folderGone)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                if (folderGone) subscriber.Publish(new FolderChange(FolderChangeKind.FolderGone, 0, 0));
                subscriber.Complete();
            }
            _subscribers = [];
        }
    }
}
