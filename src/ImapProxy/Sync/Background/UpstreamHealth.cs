using Microsoft.Extensions.Logging;

namespace ImapProxy.Sync.Background;

/// <summary>
/// Whether an account's upstream is reachable, as the background sync last found it. Logs once per change of state
/// (and when the reason changes), never once per retry: a server down for a night is two lines, not thousands.
/// Also wakes a waiting retry early when an IDLE connection gets through.
/// </summary>
internal sealed class UpstreamHealth(ILogger logger, string account)
{
    private readonly Lock _lock = new();
    private bool? _online;
    private string? _reason;
    private TaskCompletionSource _back = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True while the upstream is known to be unreachable.</summary>
    public bool IsOffline
    {
        get
        {
            lock (_lock) return _online == false;
        }
    }

    /// <summary>A connection got through and logged in.</summary>
    public void Reachable()
    {
        lock (_lock)
        {
            if (_online == false)
            {
                logger.LogInformation("{Account}: upstream reachable again; pushing local changes", account);
            }
            _online = true;
            _reason = null;
            _back.TrySetResult();
        }
    }

    /// <summary>The upstream could not be reached or refused us.</summary>
    public void Unreachable(string reason)
    {
        lock (_lock)
        {
            if (_online != false || _reason != reason)
            {
                logger.LogWarning("{Account}: {Reason}; serving the local mirror, changes are kept and pushed when it is back (retrying with backoff)",
                    account, reason);
            }
            _online = false;
            _reason = reason;
            if (_back.Task.IsCompleted)
            {
                _back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Waits for <paramref name="delay"/>, or less if a connection gets through meanwhile.</summary>
    public async Task WaitToRetryAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        Task back;
        lock (_lock) back = _back.Task;
        await Task.WhenAny(back, Task.Delay(delay, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
