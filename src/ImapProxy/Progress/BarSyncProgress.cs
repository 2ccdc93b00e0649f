using ImapProxy.Upstream.Sync;
using Spectre.Console;

namespace ImapProxy.Progress;

/// <summary>
/// Sync progress on a terminal: one Spectre.Console bar per folder with work to do, sized in bytes, showing the
/// message count, bytes done, rate and time left. Warnings are kept and printed under the bars when the run ends,
/// since writing during a live display would tear it.
/// </summary>
internal sealed class BarSyncProgress : IProgress<SyncEvent>
{
    private readonly ProgressContext _context;
    private readonly string _account;
    private readonly Dictionary<string, ProgressTask> _tasks = new();
    private readonly List<string> _warnings = new();
    private readonly Lock _sync = new();

    private BarSyncProgress(ProgressContext context, string account)
    {
        _context = context;
        _account = account;
    }

    public static async Task<T> RunAsync<T>(TextWriter output, string account, Func<IProgress<SyncEvent>, Task<T>> work)
    {
        // Only called when the CLI knows stdout is a terminal; Spectre's own detection looks at Console, not at this writer.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes,
        });
        BarSyncProgress? sink = null;
        var result = await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                sink = new BarSyncProgress(context, account);
                return await work(sink).ConfigureAwait(false);
            }).ConfigureAwait(false);
        foreach (var warning in sink?.Warnings ?? [])
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        return result;
    }

    private IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_sync)
                return _warnings.ToList();
        }
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
                    var report = finished.Report;
                    done.Description = Label(finished.Folder, report.Copied.Sum(), report.Copied.Sum())
                                       + (report.Stopped is null ? "" : " [red](stopped)[/]");
                    done.Value = done.MaxValue;
                    done.StopTask();
                    if (report.Stopped is { } stopped)
                        _warnings.Add($"{_account}/{finished.Folder}: stopped: {stopped}");
                    break;
                case FolderFinished { Report.Stopped: { } reason } finished:
                    _warnings.Add($"{_account}/{finished.Folder}: stopped: {reason}");
                    break;
                case SyncWarning warning:
                    _warnings.Add($"{_account}/{(warning.Folder.Length == 0 ? "*" : warning.Folder)}: {warning.Message}");
                    break;
            }
        }
    }

    private string Label(string folder, int done, int total) =>
        $"{Markup.Escape($"{_account}/{folder}")} [grey]{done}/{total}[/]";
}
