using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Sync.Adapters.Imap;

/// <summary>
/// Up to N logged-in connections to one account. A folder operation leases one for its duration, preferring a
/// connection that already has that folder selected (saving a SELECT). A connection that failed (protocol error,
/// dropped, cancelled mid-command) is disposed instead of being returned, and the next lease connects afresh.
/// </summary>
internal sealed class ImapConnectionPool : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<ImapClient>> _connect;
    private readonly SemaphoreSlim _slots;
    private readonly List<ImapClient> _idle = new();
    private bool _disposed;

    public ImapConnectionPool(Func<CancellationToken, Task<ImapClient>> connect, int maxConnections, ImapClient first)
    {
        _connect = connect;
        MaxConnections = Math.Max(1, maxConnections);
        _slots = new SemaphoreSlim(MaxConnections, MaxConnections);
        _idle.Add(first);
    }

    public int MaxConnections { get; }

    /// <summary>Connections opened over the pool's life, the first included (for tests and reports).</summary>
    public int Opened { get; private set; } = 1;

    /// <summary>Takes a connection, preferring one with <paramref name="mailbox"/> selected; connects when none is idle.</summary>
    public async Task<ImapClient> LeaseAsync(string? mailbox, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stale = new List<ImapClient>();
            ImapClient? client;
            lock (_idle)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                stale.AddRange(_idle.Where(c => c.State == ImapClientState.Closed));
                _idle.RemoveAll(c => c.State == ImapClientState.Closed);
                client = _idle.FirstOrDefault(c => mailbox is not null && c.Selected?.Name == mailbox) ?? _idle.LastOrDefault();
                if (client is not null)
                {
                    _idle.Remove(client);
                }
            }
            foreach (var closed in stale)
            {
                await closed.DisposeAsync().ConfigureAwait(false);
            }
            if (client is null)
            {
                client = await _connect(cancellationToken).ConfigureAwait(false);
                lock (_idle)
                {
                    Opened++;
                }
            }
            return client;
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Gives a leased connection back; a broken one is disposed.</summary>
    public async ValueTask ReturnAsync(ImapClient client, bool broken)
    {
        try
        {
            var keep = !broken && client.State != ImapClientState.Closed;
            lock (_idle)
            {
                keep &= !_disposed;
                if (keep)
                {
                    _idle.Add(client);
                }
            }
            if (!keep)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Closes idle connections that have <paramref name="mailbox"/> selected, before it is deleted or renamed: a
    /// server may end a session whose selected mailbox disappears (Dovecot 2.3 answers BYE).
    /// </summary>
    public async Task DropSelectedAsync(string mailbox)
    {
        List<ImapClient> dropped;
        lock (_idle)
        {
            dropped = _idle.Where(c => c.Selected?.Name == mailbox).ToList();
            _idle.RemoveAll(dropped.Contains);
        }
        foreach (var client in dropped)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Logs out of the idle connections (briefly; a dead server is not waited for) and closes them.</summary>
    public async ValueTask DisposeAsync()
    {
        List<ImapClient> idle;
        lock (_idle)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            idle = _idle.ToList();
            _idle.Clear();
        }
        await Task.WhenAll(idle.Select(async client =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await client.LogoutAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ImapProtocolException or ImapCommandException or OperationCanceledException)
            {
                // Going away anyway.
            }
            await client.DisposeAsync().ConfigureAwait(false);
        })).ConfigureAwait(false);
    }
}
