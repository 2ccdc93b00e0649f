using ImapProxy.Configuration;
using ImapProxy.Hosting;
using ImapProxy.Upstream.Auth;

namespace ImapProxy.Cli;

/// <summary>Runs a command's body and turns every way it can fail into one stderr line and an exit code.</summary>
internal static class CommandAction
{
    public static async Task<int> RunAsync(CommandEnvironment env, Func<Task<int>> body, CancellationToken ct)
    {
        var console = env.Console;
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (ConfigException e)
        {
            return console.Fail(ExitCodes.Config, e.Message);
        }
        catch (SecretCommandException e)
        {
            return console.Fail(ExitCodes.Config, e.Message);
        }
        catch (StateLockException e)
        {
            return console.Fail(ExitCodes.TempFail, e.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return console.Fail(ExitCodes.Interrupted, "interrupted");
        }
        catch (Exception e)
        {
            // The last line of defence: one line, never a stack trace on the user's terminal.
            var detail = env.Environment.ContainsKey("IMAPPROXY_DEBUG") ? e.ToString() : e.Message;
            return console.Fail(ExitCodes.Failure, $"internal error: {e.GetType().Name}: {detail}");
        }
    }
}
