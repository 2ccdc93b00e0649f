using System.Diagnostics;
using ImapProxy.Integration.Tests.Published;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>How one run of the real <c>imapproxy sync</c> ended.</summary>
/// <param name="Killed">True when the test SIGKILLed it while it was still running.</param>
/// <param name="ExitCode">Its exit code (137 when killed).</param>
/// <param name="FrozenBy">What froze the relay before the kill, or null when it never froze.</param>
/// <param name="Output">Its stdout and stderr.</param>
internal sealed record SyncProcessRun(bool Killed, int ExitCode, string? FrozenBy, string Output)
{
    public string Describe() => $"exit {ExitCode}{(Killed ? " (SIGKILL)" : "")}, relay frozen: {FrozenBy ?? "no"}\n{Output.TrimEnd()}";
}

/// <summary>
/// Runs the real <c>imapproxy sync -c …</c> (the published build under scripts/test, see <see cref="ImapProxyExecutable"/>) for one
/// <see cref="SyncAccount"/>, its upstream reached through a <see cref="FaultRelay"/>; when the relay freezes, the
/// process is SIGKILLed after a chosen delay. A frozen relay passes no byte either way, so until the kill the process
/// can only go on with local work (files, index, state) and cannot finish its pass: whether the kill lands does not
/// depend on timing.
/// </summary>
internal static class SyncProcess
{
    public static async Task<SyncProcessRun> RunAsync(SyncAccount account, FaultRelay relay, int killDelayMs)
    {
        await account.WriteConfigAsync(relay.Port);
        var start = ImapProxyExecutable.Start("sync", "-c", account.ConfigPath);
        start.Environment["HOME"] = account.Directory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start imapproxy");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var killed = false;
        try
        {
            var exited = process.WaitForExitAsync(limit.Token);
            if (await Task.WhenAny(exited, relay.Frozen) == relay.Frozen && !process.HasExited)
            {
                await Task.WhenAny(exited, Task.Delay(killDelayMs, limit.Token));
                if (!process.HasExited)
                {
                    process.Kill(); // SIGKILL on Unix
                    killed = true;
                }
            }
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.ReapAsync();
            return new SyncProcessRun(false, -1, null,
                $"HANG: imapproxy sync neither ended nor froze in 2 minutes\n{await Finished(output)}\n{await Finished(errors)}");
        }
        finally
        {
            // Never leave a sync running behind a failed test.
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        var frozenBy = relay.Frozen.IsCompleted ? await relay.Frozen : null;
        // Only a process that was still running when it got the signal counts as killed.
        return new SyncProcessRun(killed && process.ExitCode == 137, process.ExitCode, frozenBy, $"{await Finished(output)}{await Finished(errors)}");
    }

    // The output ends with the process; a grandchild holding the pipe must not turn the run into a hang.
    private static Task<string> Finished(Task<string> output) => output.WithinAsync("imapproxy sync's output to end");
}
