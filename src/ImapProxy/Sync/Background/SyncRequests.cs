namespace ImapProxy.Sync.Background;

/// <summary>
/// What the next background pass of an account should cover: everything, or some folders. Requests from the poll
/// timer, upstream IDLE and local changes pile up here and are taken together, so a burst of changes makes one pass.
/// </summary>
internal sealed class SyncRequests
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _folders = new(StringComparer.Ordinal);
    private bool _all;
    private TaskCompletionSource _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Asks for a pass over every folder.</summary>
    public void RequestAll()
    {
        lock (_lock)
        {
            _all = true;
            _pending.TrySetResult();
        }
    }

    /// <summary>Asks for a pass over <paramref name="folder"/>.</summary>
    public void Request(string folder)
    {
        lock (_lock)
        {
            _folders.Add(folder);
            _pending.TrySetResult();
        }
    }

    /// <summary>
    /// Waits for a request, then <paramref name="gather"/> longer for more to join it (a client storing flags on 50
    /// messages one by one makes one pass, not 50), and takes them all: null folders means every folder.
    /// </summary>
    public async Task<IReadOnlyList<string>?> TakeAsync(TimeSpan gather, CancellationToken cancellationToken)
    {
        Task pending;
        lock (_lock)
        {
            pending = _pending.Task;
        }
        await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.Delay(gather, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            IReadOnlyList<string>? taken = _all ? null : _folders.ToList();
            _all = false;
            _folders.Clear();
            _pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return taken;
        }
    }

    /// <summary>Puts back what a failed pass was to do, so the next attempt covers it.</summary>
    public void Return(IReadOnlyList<string>? folders)
    {
        if (folders is null)
        {
            RequestAll();
            return;
        }
        foreach (var folder in folders)
        {
            Request(folder);
        }
    }
}
