using System.Globalization;

namespace ImapProxy.Status;

/// <summary>Writes <see cref="AccountStatus"/> as plain, column-aligned text (readable in a terminal and in a log).</summary>
internal sealed class StatusPrinter(TextWriter output, TimeProvider time)
{
    private static readonly string[] Headings = ["FOLDER", "LOCAL", "UPSTREAM", "TO PUSH", "LAST SYNC", "NOTE"];

    // Numbers right-aligned, text left-aligned.
    private static readonly bool[] RightAligned = [false, true, true, false, false, false];

    public void Write(AccountStatus account)
    {
        output.WriteLine($"account {account.Name}: {account.Upstream}");
        if (!account.HasState)
        {
            output.WriteLine("  never synced (no sync state yet)");
        }
        else
        {
            output.WriteLine($"  last sync: {When(account.AccountRun?.LastSuccess)}");
            if (account.AccountRun?.LastError is { } error)
            {
                output.WriteLine($"  last error ({When(account.AccountRun.LastAttempt)}): {error}");
            }
        }
        if (!account.HasIndex)
        {
            output.WriteLine("  mirror not opened yet (no index)");
        }
        var rows = new List<string[]> { Headings };
        rows.AddRange(account.Folders.Select(Row));
        WriteTable(rows);
        var pending = account.Folders.Sum(f => f.Pending) + account.OtherIntents;
        output.WriteLine(pending == 0
            ? "  nothing waiting to be pushed"
            : $"  {Count(pending, "change")} waiting to be pushed upstream");
        if (account.OtherIntents > 0)
        {
            output.WriteLine($"  {Count(account.OtherIntents, "journal entry", "journal entries")} of folders no longer synced");
        }
    }

    private string[] Row(FolderStatusLine f) =>
    [
        f.Name,
        f.LocalMessages?.ToString(CultureInfo.InvariantCulture) ?? "-",
        f.UpstreamMessages?.ToString(CultureInfo.InvariantCulture) ?? "-",
        ToPush(f),
        f.LastSuccess is null ? "never" : When(f.LastSuccess),
        Note(f),
    ];

    private static string ToPush(FolderStatusLine f)
    {
        var parts = new List<string>();
        if (f.NewLocal > 0) parts.Add($"{f.NewLocal} new");
        if (f.FlagChanges > 0) parts.Add($"{f.FlagChanges} flags");
        if (f.LocalExpunges > 0) parts.Add($"{f.LocalExpunges} deleted");
        if (f.JournalIntents > 0) parts.Add($"{f.JournalIntents} journal");
        return parts.Count == 0 ? "-" : string.Join(", ", parts);
    }

    private static string Note(FolderStatusLine f)
    {
        if (f.Stopped is not null) return $"stopped: {f.Stopped}";
        if (f.LastError is not null) return $"error: {f.LastError}";
        if (f.LocalMessages is null) return "not in the mirror";
        if (f.UpstreamMessages is null) return "not synced yet";
        return "";
    }

    private void WriteTable(List<string[]> rows)
    {
        var widths = Enumerable.Range(0, Headings.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, c) => c == row.Length - 1 ? cell
                : RightAligned[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            output.WriteLine(("  " + string.Join("  ", cells)).TrimEnd());
        }
    }

    private string When(DateTimeOffset? at)
    {
        if (at is not { } value) return "never";
        var local = TimeZoneInfo.ConvertTime(value, time.LocalTimeZone);
        return $"{local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} ({Age(time.GetUtcNow() - value)})";
    }

    private static string Age(TimeSpan age) => age.TotalSeconds switch
    {
        < 5 => "just now",
        < 120 => $"{(int)age.TotalSeconds} s ago",
        < 7200 => $"{(int)age.TotalMinutes} min ago",
        < 172800 => $"{(int)age.TotalHours} h ago",
        _ => $"{(int)age.TotalDays} days ago",
    };

    private static string Count(int n, string one, string? many = null) =>
        n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";
}
