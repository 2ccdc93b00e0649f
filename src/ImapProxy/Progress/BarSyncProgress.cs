using ImapProxy.Upstream.Sync;
using Spectre.Console;

namespace ImapProxy.Progress;

/// <summary>
/// Sync progress on a terminal: one Spectre.Console bar per folder with messages to copy, sized in bytes, showing
/// the message count, percentage, bytes done, rate and time left. The bars stay on screen; the run's report
/// (changes, warnings, stops) follows them.
/// </summary>
internal sealed class BarSyncProgress : IProgress<SyncEvent>
{
    private readonly ProgressContext _context;
    private readonly string _account;
    private readonly Dictionary<string, ProgressTask> _tasks = new();
    private readonly Lock _sync = new();

    private BarSyncProgress(ProgressContext context, string account)
    {
        _context = context;
        _account = account;
    }

    public static async Task<T> RunAsync<T>(TextWriter output, string account, Func<IProgress<SyncEvent>?, Task<T>> work)
    {
        // Only called when the CLI knows stdout is a terminal; Spectre's own detection looks at Console, not at this writer.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes,
        });
        return await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(context => work(new BarSyncProgress(context, account))).ConfigureAwait(false);
    }

    public void Report(SyncEvent value)
    {
        lock (_sync)
        {
            switch (value)
            {
                case FolderStarted { Copies: > 0 } started:
                    // Bars measure bytes; a folder of empty messages still needs a non-zero maximum.
                    _tasks[started.Folder] = _context.AddTask(Label(started.Folder, 0, started.Copies), maxValue: Math.Max(started.Bytes, 1));
                    break;
                case MessageCopied copied when _tasks.TryGetValue(copied.Folder, out var bar):
                    bar.Increment(copied.Bytes);
                    bar.Description = Label(copied.Folder, copied.Done, copied.Total);
                    break;
                case FolderFinished finished when _tasks.Remove(finished.Folder, out var done):
                    var count = finished.Report.Copied.Sum();
                    done.Description = Label(finished.Folder, count, count)
                                       + (finished.Report.Stopped is null && finished.Report.Error is null ? "" : " [red](stopped)[/]");
                    done.Value = done.MaxValue;
                    done.StopTask();
                    break;
            }
        }
    }

    private string Label(string folder, int done, int total) =>
        $"{Markup.Escape($"{_account}: {folder}")} [grey]{done}/{total}[/]";
}
