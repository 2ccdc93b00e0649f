using ImapProxy.Upstream.Sync;

namespace ImapProxy.Progress;

/// <summary>
/// Live sync progress as plain lines, for output that is not a terminal (a log file, a pipe, the journal): a
/// folder's plan when it starts work, a line every <see cref="CopiesPerLine"/> copies of a big folder, and the bytes
/// and rate when it is done. What changed, warnings and stops are in the run's report (<c>SyncReportText</c>),
/// printed after the pass, so they are not repeated here.
/// </summary>
internal sealed class PlainSyncProgress(TextWriter output, string account, TimeProvider time) : IProgress<SyncEvent>
{
    /// <summary>A folder copying more than this many messages gets a line every so many copies.</summary>
    public const int CopiesPerLine = 1000;

    private readonly Dictionary<string, long> _started = new();
    private readonly Lock _sync = new();

    public void Report(SyncEvent value)
    {
        lock (_sync)
        {
            if (LineFor(value) is { } line)
                output.WriteLine($"{account}: {value.Folder}: {line}");
        }
    }

    private string? LineFor(SyncEvent value)
    {
        switch (value)
        {
            case FolderStarted { Copies: 0, FlagChanges: 0, Expunges: 0 }:
                return null;
            case FolderStarted started:
                _started[started.Folder] = time.GetTimestamp();
                return $"{Plural(started.Copies, "message")} to copy ({Units.Bytes(started.Bytes)}), "
                       + $"{Plural(started.FlagChanges, "flag change")}, {Plural(started.Expunges, "expunge")}";
            case MessageCopied copied:
                return copied.Done % CopiesPerLine == 0 && copied.Done < copied.Total ? $"copied {copied.Done}/{copied.Total}" : null;
            case FolderFinished finished when _started.Remove(finished.Folder, out var started) && finished.Report.Copied.Sum() > 0:
                var seconds = time.GetElapsedTime(started).TotalSeconds;
                var bytes = finished.Report.Bytes;
                return $"{Plural(finished.Report.Copied.Sum(), "message")} copied, {Units.Bytes(bytes)} in {seconds:0.0} s ({Units.Rate(bytes, seconds)})";
            default:
                return null;
        }
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}

/// <summary>Human-readable sizes, as in the progress lines.</summary>
internal static class Units
{
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };

    public static string Rate(long bytes, double seconds) =>
        seconds <= 0 ? "-" : $"{Bytes((long)(bytes / seconds))}/s";
}
