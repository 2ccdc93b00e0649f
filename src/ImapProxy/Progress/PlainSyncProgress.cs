using ImapProxy.Upstream.Sync;

namespace ImapProxy.Progress;

/// <summary>
/// Sync progress as plain lines, one per event worth a line: a folder's plan, every thousand copies of a big
/// folder, its result with bytes and rate, and warnings. Suits a log file, a pipe and the journal.
/// </summary>
internal sealed class PlainSyncProgress(TextWriter output, string account, bool quiet, TimeProvider time) : IProgress<SyncEvent>
{
    /// <summary>A folder copying more than this many messages gets a line every so many copies.</summary>
    public const int CopiesPerLine = 1000;

    private readonly Dictionary<string, (long Started, long Bytes)> _folders = new();
    private readonly Lock _sync = new();

    public void Report(SyncEvent value)
    {
        lock (_sync)
        {
            var line = LineFor(value);
            if (line is not null)
                output.WriteLine($"{account}/{(value.Folder.Length == 0 ? "*" : value.Folder)}: {line}");
        }
    }

    private string? LineFor(SyncEvent value)
    {
        switch (value)
        {
            case SyncWarning warning:
                return $"warning: {warning.Message}";
            case FolderFinished { Report.Stopped: { } reason }:
                return $"stopped: {reason}";
            case FolderFinished finished when !quiet:
                return Finished(finished);
            case FolderStarted started when !quiet:
                _folders[started.Folder] = (time.GetTimestamp(), 0);
                return started is { Copies: 0, FlagChanges: 0, Expunges: 0 }
                    ? null
                    : $"{Plural(started.Copies, "message")} to copy ({Units.Bytes(started.Bytes)}), "
                      + $"{Plural(started.FlagChanges, "flag change")}, {Plural(started.Expunges, "expunge")}";
            case MessageCopied copied when !quiet:
                if (_folders.TryGetValue(copied.Folder, out var folder))
                    _folders[copied.Folder] = folder with { Bytes = folder.Bytes + copied.Bytes };
                return copied.Done % CopiesPerLine == 0 && copied.Done < copied.Total
                    ? $"copied {copied.Done}/{copied.Total}"
                    : null;
            default:
                return null;
        }
    }

    private string Finished(FolderFinished finished)
    {
        var report = finished.Report;
        if (report.Unchanged)
            return "unchanged";
        var copied = report.Copied.Sum();
        var text = $"done: {Plural(copied, "message")} copied ({Units.Bytes(report.Bytes)}";
        if (_folders.Remove(finished.Folder, out var folder) && copied > 0)
        {
            var seconds = time.GetElapsedTime(folder.Started).TotalSeconds;
            text += $" in {seconds:0.0} s, {Units.Rate(report.Bytes, seconds)}";
        }
        text += $"), {Plural(report.FlagsChanged.Sum(), "flag change")}, {Plural(report.Expunged.Sum(), "expunge")}";
        return report.Complete ? text : text + " (incomplete: the rest is retried next time)";
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}

/// <summary>Human-readable sizes, as in the progress lines and bars.</summary>
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
