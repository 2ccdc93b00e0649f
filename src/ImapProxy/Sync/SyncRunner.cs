using System.Diagnostics;
using System.Net.Sockets;
using ImapProxy.Cli;
using ImapProxy.Configuration;
using ImapProxy.Logging;
using ImapProxy.Progress;
using ImapProxy.Upstream.Auth;
using ImapProxy.Upstream.Client;
using ImapProxy.Upstream.Sync;

namespace ImapProxy.Sync;

/// <summary>
/// <c>imapproxy sync</c>: one pass over each selected account, a plain line per changed folder on stdout (none
/// with <c>-q</c>), and one line on stderr per account that failed. Exit code: 0 when every account synced fully;
/// otherwise that of the worst failure (<see cref="ExitCodes"/>): upstream unreachable 69, login refused 77,
/// deletion guard stop 3, a folder that failed 1.
/// </summary>
/// <remarks>
/// While a pass runs, progress is shown as <see cref="SyncProgressDisplay"/> chooses: bars on a terminal, plain
/// lines otherwise, nothing with <c>-q</c> or <c>--dry-run</c>. <c>--trace imap</c> goes to the log (stderr) through
/// <see cref="ProxyLogging"/>.
/// </remarks>
internal sealed class SyncRunner : ISyncRunner
{
    public async Task<int> RunAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var exit = ExitCodes.Ok;
        foreach (var account in request.Accounts)
        {
            var code = await RunAccountAsync(request, account, cancellationToken).ConfigureAwait(false);
            exit = Worse(exit, code);
        }
        return exit;
    }

    private async Task<int> RunAccountAsync(SyncRequest request, AccountConfig account, CancellationToken cancellationToken)
    {
        var console = request.Console;
        // The logger factory (console providers, options, a queue thread) is only the trace's: a pass reports through
        // the console and the exit code, and building it costs a no-op sync a tenth of its start-up.
        using var logging = request.Trace.HasFlag(TraceTargets.Imap) ? ProxyLogging.CreateFactory(request.LogLevel, request.Trace) : null;
        var trace = logging is null ? null : ProxyLogging.UpstreamTrace(logging, request.Trace, account.Name);
        var display = SyncProgressDisplay.Select(request.Quiet || request.DryRun, console.OutIsTerminal,
            System.Environment.GetEnvironmentVariable("TERM"));
        var clock = Stopwatch.StartNew();
        SyncReport report;
        await using (var synchronizer = new AccountSynchronizer(account, request.Config.General.StateDir, trace: trace))
        {
            try
            {
                report = await SyncProgressDisplay.RunAsync(display, console, account.Name, progress => synchronizer.RunOnceAsync(
                    new SyncRequestOptions { Folders = request.Folders, DryRun = request.DryRun, AllowMassDelete = request.AllowMassDelete },
                    progress, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception e) when (Classify(e) is { } failure)
            {
                await synchronizer.RecordFailureAsync(failure.Message, CancellationToken.None).ConfigureAwait(false);
                return console.Fail(failure.Code, $"{account.Name}: {failure.Message}");
            }
        }
        if (!request.Quiet)
        {
            foreach (var line in SyncReportText.Lines(account.Name, report, clock.Elapsed))
            {
                await console.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }
        return Outcome(console, account.Name, report);
    }

    private static int Outcome(CliConsole console, string account, SyncReport report)
    {
        var failed = report.Folders.Where(f => f.Error is not null).ToList();
        if (failed.Count > 0)
        {
            return console.Fail(ExitCodes.Failure,
                $"{account}: {failed.Count} folder{(failed.Count == 1 ? "" : "s")} failed ({failed[0].Folder}: {failed[0].Error}); the next sync retries");
        }
        var stopped = report.Folders.Where(f => f.Stopped is not null).Select(f => f.Stopped!).ToList();
        if (report.Aborted is not null || stopped.Count > 0)
        {
            var first = report.Aborted ?? stopped[0];
            var what = report.Aborted is not null ? "the whole account" : $"{stopped.Count} folder{(stopped.Count == 1 ? "" : "s")}";
            return console.Fail(ExitCodes.DeletionGuard,
                $"{account}: the deletion guard stopped {what} ({Trim(first)}); nothing was deleted there. "
                + $"If the deletions are intended, run: imapproxy sync -a {account} --allow-mass-delete");
        }
        return ExitCodes.Ok;
    }

    // The engine's text ends with advice in its own terms; the CLI gives the command instead.
    private static string Trim(string reason)
    {
        var cut = reason.IndexOf(" Check, then confirm", StringComparison.Ordinal);
        cut = cut < 0 ? reason.IndexOf(" If that is really wanted", StringComparison.Ordinal) : cut;
        return (cut < 0 ? reason : reason[..cut]).TrimEnd(' ', '.', ';').Replace("guard: ", "", StringComparison.Ordinal);
    }

    /// <summary>The exit code and one-line reason for a pass that could not run, or null for a bug (left to the CLI's last line of defence).</summary>
    internal static (int Code, string Message)? Classify(Exception e) => e switch
    {
        ImapAuthenticationException auth => (ExitCodes.AuthFailed, $"upstream login refused: {auth.ServerText}"),
        SecretCommandException secret => (ExitCodes.Config, secret.Message),
        ImapConnectionException connect => (ExitCodes.Unavailable, $"upstream unreachable: {connect.Message}"),
        ImapProtocolException protocol => (ExitCodes.Unavailable, $"upstream connection failed: {protocol.Message}"),
        SocketException or IOException => (ExitCodes.Unavailable, $"upstream connection failed: {e.Message}"),
        ImapCommandException command => (ExitCodes.Failure, $"upstream refused a command: {command.Message}"),
        _ => null,
    };

    private static int Worse(int current, int next) => Rank(next) > Rank(current) ? next : current;

    // Which code wins when several accounts fail differently: the one that most needs the user's attention.
    private static int Rank(int code) => code switch
    {
        ExitCodes.Ok => 0,
        ExitCodes.Failure => 1,
        ExitCodes.Unavailable => 2,
        ExitCodes.DeletionGuard => 3,
        ExitCodes.AuthFailed => 4,
        _ => 5,
    };
}
