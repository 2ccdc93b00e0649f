using ImapProxy.Cli;
using ImapProxy.Progress;
using ImapProxy.Upstream.Sync;

namespace ImapProxy.Tests.Progress;

/// <summary>Which display a sync gets, and what the plain display prints.</summary>
public sealed class SyncProgressTests
{
    [Theory]
    [InlineData(false, true, "xterm-256color", "Bars")]
    [InlineData(false, true, null, "Bars")]
    [InlineData(false, true, "dumb", "Lines")]
    [InlineData(false, false, "xterm", "Lines")]
    [InlineData(true, true, "xterm", "Quiet")]
    [InlineData(true, false, null, "Quiet")]
    public void The_display_follows_quiet_terminal_and_TERM(bool quiet, bool terminal, string? term, string expected)
    {
        var environment = term is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["TERM"] = term };
        Assert.Equal(Enum.Parse<ProgressMode>(expected), SyncProgressDisplay.Select(quiet, terminal, environment));
    }

    private static FolderReport Report(string folder, int copied, long bytes, int flags = 0, int expunged = 0,
        bool complete = true, string? stopped = null, bool unchanged = false)
    {
        var report = new FolderReport { Folder = folder, Bytes = bytes, Complete = complete, Stopped = stopped, Unchanged = unchanged };
        report.Copied[0] = copied;
        report.FlagsChanged[1] = flags;
        report.Expunged[0] = expunged;
        return report;
    }

    [Fact]
    public void Plain_lines_give_each_folder_its_plan_result_bytes_and_rate()
    {
        var output = new StringWriter();
        var time = new FakeTimeProvider();
        var progress = new PlainSyncProgress(output, "work", quiet: false, time);
        progress.Report(new FolderStarted("INBOX", 2500, 3 * 1024 * 1024, 4, 1));
        for (var i = 1; i <= 2500; i++)
            progress.Report(new MessageCopied("INBOX", 0, i, 2500, 1258));
        time.Advance(TimeSpan.FromSeconds(2));
        progress.Report(new FolderFinished("INBOX", Report("INBOX", 2500, 3 * 1024 * 1024, flags: 4, expunged: 1)));
        progress.Report(new FolderStarted("Archive", 0, 0, 0, 0));
        progress.Report(new FolderFinished("Archive", Report("Archive", 0, 0, unchanged: true)));
        progress.Report(new SyncWarning("", "UIDVALIDITY of Lists changed; re-matched 10 messages"));
        progress.Report(new FolderFinished("Junk", Report("Junk", 0, 0, stopped: "would delete 80 of 100 messages", complete: false)));

        Assert.Equal([
            "work/INBOX: 2500 messages to copy (3.0 MiB), 4 flag changes, 1 expunge",
            "work/INBOX: copied 1000/2500",
            "work/INBOX: copied 2000/2500",
            "work/INBOX: done: 2500 messages copied (3.0 MiB in 2.0 s, 1.5 MiB/s), 4 flag changes, 1 expunge",
            "work/Archive: unchanged",
            "work/*: warning: UIDVALIDITY of Lists changed; re-matched 10 messages",
            "work/Junk: stopped: would delete 80 of 100 messages",
        ], Lines(output));
    }

    [Fact]
    public void Quiet_prints_only_warnings_and_stopped_folders()
    {
        var output = new StringWriter();
        var progress = new PlainSyncProgress(output, "work", quiet: true, new FakeTimeProvider());
        progress.Report(new FolderStarted("INBOX", 1, 10, 0, 0));
        progress.Report(new MessageCopied("INBOX", 0, 1, 1, 10));
        progress.Report(new FolderFinished("INBOX", Report("INBOX", 1, 10, complete: false)));
        progress.Report(new SyncWarning("INBOX", "a message failed"));
        progress.Report(new FolderFinished("Junk", Report("Junk", 0, 0, stopped: "guard")));
        Assert.Equal(["work/INBOX: warning: a message failed", "work/Junk: stopped: guard"], Lines(output));
    }

    [Fact]
    public void An_incomplete_folder_says_it_will_be_retried()
    {
        var output = new StringWriter();
        var progress = new PlainSyncProgress(output, "a", quiet: false, new FakeTimeProvider());
        progress.Report(new FolderFinished("X", Report("X", 1, 2048, complete: false)));
        Assert.Equal(["a/X: done: 1 message copied (2.0 KiB), 0 flag changes, 0 expunges (incomplete: the rest is retried next time)"],
            Lines(output));
    }

    [Fact]
    public async Task Bars_draw_on_the_console_and_print_warnings_afterwards()
    {
        var output = new StringWriter();
        var console = new CliConsole(output, new StringWriter()) { OutIsTerminal = true };
        var result = await SyncProgressDisplay.RunAsync(ProgressMode.Bars, console, "work", progress =>
        {
            progress.Report(new FolderStarted("INBOX", 2, 300, 0, 0));
            progress.Report(new MessageCopied("INBOX", 0, 1, 2, 100));
            progress.Report(new MessageCopied("INBOX", 0, 2, 2, 200));
            progress.Report(new FolderFinished("INBOX", Report("INBOX", 2, 300)));
            progress.Report(new SyncWarning("Lists", "skipped"));
            return Task.FromResult(42);
        });
        Assert.Equal(42, result);
        var text = output.ToString();
        Assert.Contains("work/INBOX", text);
        Assert.Contains("2/2", text);
        Assert.Contains("100%", text);
        Assert.EndsWith("warning:\u001b[0m work/Lists: skipped", text.TrimEnd());
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
