using System.Diagnostics;
using System.Globalization;

namespace ImapProxy.TestSupport;

/// <summary>
/// Time limits for what tests await. A test that waits without one turns a hang into a killed test run (the blame
/// collector stops the whole project after 5 minutes, and every other result of it is lost); with one, the one test
/// fails and says what it was waiting for.
/// </summary>
public static class Bounded
{
    /// <summary>
    /// The default limit: generous enough that a CI machine at a load of 50 on 2 cores never reaches it for anything
    /// a test does in a step, short enough that a hang fails the test well before the blame collector's 5 minutes.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Awaits <paramref name="task"/>; if it is not done within <paramref name="limit"/> (default <see cref="Patience"/>), throws a <see cref="TimeoutException"/> naming <paramref name="what"/>.</summary>
    public static async Task WithinAsync(this Task task, string what, TimeSpan? limit = null)
    {
        var wait = limit ?? Patience;
        try
        {
            await task.WaitAsync(wait);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw Expired(what, wait);
        }
    }

    /// <summary>Awaits <paramref name="task"/>; if it is not done within <paramref name="limit"/> (default <see cref="Patience"/>), throws a <see cref="TimeoutException"/> naming <paramref name="what"/>.</summary>
    public static async Task<T> WithinAsync<T>(this Task<T> task, string what, TimeSpan? limit = null)
    {
        var wait = limit ?? Patience;
        try
        {
            return await task.WaitAsync(wait);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw Expired(what, wait);
        }
    }

    /// <summary>
    /// Runs <paramref name="step"/> with a token that expires after <paramref name="limit"/> (or when
    /// <paramref name="cancellationToken"/> is cancelled); the expiry becomes a <see cref="TimeoutException"/> saying
    /// what was awaited, as <paramref name="what"/> describes it at that moment.
    /// </summary>
    public static async Task<T> StepAsync<T>(
        Func<CancellationToken, Task<T>> step, TimeSpan limit, Func<string> what, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            return await step(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Expired(what(), limit);
        }
    }

    /// <summary>Connects <paramref name="client"/> within <see cref="Patience"/>: a listener whose backlog is full never answers the SYN.</summary>
    public static Task ConnectWithinAsync(this System.Net.Sockets.TcpClient client, string host, int port, CancellationToken cancellationToken = default) =>
        StepAsync(async token =>
        {
            await client.ConnectAsync(host, port, token);
            return true;
        }, Patience, () => $"{host}:{port.ToString(CultureInfo.InvariantCulture)} to accept the connection", cancellationToken);

    /// <summary>
    /// Waits for <paramref name="process"/> to exit (and its redirected output to end); if it has not within
    /// <paramref name="limit"/> (default <see cref="Patience"/>), kills it with its children and throws a
    /// <see cref="TimeoutException"/> naming <paramref name="what"/> (asked at that moment, so it can hold the process's output).
    /// </summary>
    public static async Task ExitWithinAsync(this Process process, Func<string> what, TimeSpan? limit = null)
    {
        var wait = limit ?? Patience;
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            KillTree(process);
            throw Expired(what(), wait);
        }
    }

    /// <summary>
    /// Waits for an exit that is already on its way (a SIGKILL was sent): the process is gone within milliseconds, but
    /// a grandchild that inherited its output pipes could keep <see cref="Process.WaitForExitAsync"/> waiting for their
    /// end; that is killed too after <paramref name="limit"/> (default 30 s) and then not waited for again.
    /// </summary>
    public static async Task ReapAsync(this Process process, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            KillTree(process);
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone already (or never started): nothing to kill.
        }
    }

    private static TimeoutException Expired(string what, TimeSpan limit) =>
        new($"gave up after {limit.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s waiting for {what}");
}
