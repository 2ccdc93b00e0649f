using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

public sealed partial class ImapClient
{
    /// <summary>
    /// Waits until the server reports a change in the selected mailbox (EXISTS, EXPUNGE, VANISHED, FETCH), until
    /// <paramref name="maxWait"/> passes, or until <paramref name="cancellationToken"/> is cancelled (which ends the
    /// wait cleanly, not with an exception). Uses IDLE, ended and re-issued every <see cref="UpstreamOptions.IdleRefresh"/>
    /// (before the 29/30 minutes after which servers drop it), or NOOP polling every
    /// <see cref="UpstreamOptions.PollInterval"/> when the server lacks IDLE. Returns true when a change was seen.
    /// </summary>
    public async Task<bool> WaitForChangesAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEvent(ImapEvent e)
        {
            if (e is ExistsEvent or ExpungeEvent or VanishedEvent or FetchEvent) changed.TrySetResult();
        }
        Event += OnEvent;
        try
        {
            var deadline = DateTime.UtcNow + maxWait;
            while (!changed.Task.IsCompleted && !cancellationToken.IsCancellationRequested)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) break;
                if (Has("IDLE"))
                {
                    var slice = left < _options.IdleRefresh ? left : _options.IdleRefresh;
                    await IdleAsync(changed.Task, slice, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var slice = left < _options.PollInterval ? left : _options.PollInterval;
                    await Task.WhenAny(changed.Task, Task.Delay(slice, cancellationToken)).ConfigureAwait(false);
                    if (!changed.Task.IsCompleted) await NoopAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            return changed.Task.IsCompleted;
        }
        finally
        {
            Event -= OnEvent;
        }
    }

    /// <summary>One IDLE (RFC 2177): sent, then DONE when <paramref name="stop"/> completes, <paramref name="duration"/>
    /// passes or <paramref name="cancellationToken"/> is cancelled; returns after the server's tagged OK.</summary>
    private async Task IdleAsync(Task stop, TimeSpan duration, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = RunAsync(new CommandBuilder("IDLE").Raw("IDLE"), exclusive: true, CancellationToken.None,
            onContinuation: (_, _) =>
            {
                started.TrySetResult();
                return ValueTask.CompletedTask;
            }, isIdle: true);
        var first = await Task.WhenAny(started.Task, run).ConfigureAwait(false);
        if (first == run)
        {
            var refused = await run.ConfigureAwait(false);
            throw new ImapCommandException("IDLE", refused.Status, refused.Code, refused.Text);
        }
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timer.CancelAfter(duration);
            var wake = new TaskCompletionSource();
            using var registration = timer.Token.Register(() => wake.TrySetResult());
            await Task.WhenAny(stop, wake.Task, run).ConfigureAwait(false);
        }
        if (!run.IsCompleted) await SendLineAsync("DONE", secret: false).ConfigureAwait(false);
        var result = await run.ConfigureAwait(false);
        if (!result.IsOk) throw new ImapCommandException("IDLE", result.Status, result.Code, result.Text);
    }
}
