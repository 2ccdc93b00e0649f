using ImapProxy.Cli;
using ImapProxy.Progress;
using ImapProxy.Upstream.Sync;

namespace ImapProxy.Tests.Progress;

/// <summary>Which display a sync pass gets, what the plain display prints, and that bars draw.</summary>
public sealed class SyncProgressTests
{
    [Theory]
    [InlineData(false, true, "xterm-256color", "Bars")]
    [InlineData(false, true, null, "Bars")]
    [InlineData(false, true, "dumb", "Lines")]
    [InlineData(false, false, "xterm", "Lines")]
    [InlineData(true, true, "xterm", "None")]
    [InlineData(true, false, null, "None")]
    public void The_display_follows_quiet_terminal_and_TERM(bool quiet, bool terminal, string? term, string expected)
    {
        Assert.Equal(Enum.Parse<ProgressMode>(expected), SyncProgressDisplay.Select(quiet, terminal, term));
    }

    private static FolderReport Report(string folder, int copied, long bytes, string? stopped = null)
    {
        var report = new FolderReport { Folder = folder, Bytes = bytes, Complete = stopped is null, Stopped = stopped };
        report.Copied[0] = copied;
        return report;
    }

    [Fact]
    public void Plain_lines_give_a_folders_plan_progress_bytes_and_rate()
    {
        var output = new StringWriter();
        var time = new FakeTimeProvider();
        var progress = new PlainSyncProgress(output, "work", time);
        progress.Report(new FolderStarted("INBOX", 2500, 3 * 1024 * 1024, 4, 1));
        for (var i = 1; i <= 2500; i++)
            progress.Report(new MessageCopied("INBOX", 0, i, 2500, 1258));
        time.Advance(TimeSpan.FromSeconds(2));
        progress.Report(new FolderFinished("INBOX", Report("INBOX", 2500, 3 * 1024 * 1024)));
        // Unchanged folders, flag-only folders, warnings and stops are the report's business, not progress.
        progress.Report(new FolderStarted("Archive", 0, 0, 0, 0));
        progress.Report(new FolderFinished("Archive", Report("Archive", 0, 0)));
        progress.Report(new FolderStarted("Lists", 0, 0, 1, 0));
        progress.Report(new FolderFinished("Lists", Report("Lists", 0, 0)));
        progress.Report(new SyncWarning("", "UIDVALIDITY of Lists changed"));
        progress.Report(new FolderFinished("Junk", Report("Junk", 0, 0, stopped: "guard")));

        Assert.Equal([
            "work: INBOX: 2500 messages to copy (3.0 MiB), 4 flag changes, 1 expunge",
            "work: INBOX: copied 1000/2500",
            "work: INBOX: copied 2000/2500",
            "work: INBOX: 2500 messages copied, 3.0 MiB in 2.0 s (1.5 MiB/s)",
            "work: Lists: 0 messages to copy (0 B), 1 flag change, 0 expunges",
        ], Lines(output));
    }

    [Fact]
    public async Task Lines_and_none_modes_hand_the_work_a_matching_sink()
    {
        var console = new CliConsole(new StringWriter(), new StringWriter());
        Assert.IsType<PlainSyncProgress>(await SyncProgressDisplay.RunAsync(ProgressMode.Lines, console, "a", p => Task.FromResult(p)));
        Assert.Null(await SyncProgressDisplay.RunAsync(ProgressMode.None, console, "a", p => Task.FromResult(p)));
        Assert.Equal("", console.Out.ToString());
    }

    [Fact]
    public async Task Bars_draw_counts_and_percentages_on_the_console()
    {
        var output = new StringWriter();
        var console = new CliConsole(output, new StringWriter()) { OutIsTerminal = true };
        var result = await SyncProgressDisplay.RunAsync(ProgressMode.Bars, console, "work", progress =>
        {
            Assert.NotNull(progress);
            progress.Report(new FolderStarted("INBOX", 2, 300, 0, 0));
            progress.Report(new MessageCopied("INBOX", 0, 1, 2, 100));
            progress.Report(new MessageCopied("INBOX", 0, 2, 2, 200));
            progress.Report(new FolderFinished("INBOX", Report("INBOX", 2, 300)));
            progress.Report(new FolderStarted("Junk", 5, 500, 0, 0));
            progress.Report(new FolderFinished("Junk", Report("Junk", 0, 0, stopped: "guard")));
            return Task.FromResult(42);
        });
        Assert.Equal(42, result);
        var text = output.ToString();
        Assert.Contains("work: INBOX", text);
        Assert.Contains("2/2", text);
        Assert.Contains("100%", text);
        Assert.Contains("(stopped)", text);
        Assert.Contains("\u001b[", text); // drawn with ANSI sequences, as on a terminal
    }

    private static string[] Lines(StringWriter output) =>
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>A clock that moves only when told.</summary>
    private sealed class FakeTimeProvider : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
