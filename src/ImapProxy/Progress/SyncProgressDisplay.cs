using ImapProxy.Cli;
using ImapProxy.Upstream.Sync;

namespace ImapProxy.Progress;

/// <summary>How <c>imapproxy sync</c> shows its progress.</summary>
internal enum ProgressMode
{
    /// <summary>Live per-folder bars with counts, bytes and rate (a terminal, not <c>-q</c>).</summary>
    Bars,

    /// <summary>Plain lines: what each folder will do and did (output to a file, a pipe or the journal).</summary>
    Lines,

    /// <summary><c>-q</c>: only warnings and stopped folders.</summary>
    Quiet,
}

/// <summary>Chooses and runs the progress display of a sync run.</summary>
internal static class SyncProgressDisplay
{
    /// <summary>
    /// Bars only on a terminal that can draw them; <c>-q</c> wins over everything; <c>TERM=dumb</c> (Emacs shells,
    /// some CI consoles) gets lines, since live redrawing would print every frame.
    /// </summary>
    public static ProgressMode Select(bool quiet, bool outputIsTerminal, IReadOnlyDictionary<string, string> environment)
    {
        if (quiet)
            return ProgressMode.Quiet;
        if (!outputIsTerminal)
            return ProgressMode.Lines;
        return environment.TryGetValue("TERM", out var term) && term == "dumb" ? ProgressMode.Lines : ProgressMode.Bars;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress sink for <paramref name="account"/>; bars are drawn on
    /// <see cref="CliConsole.Out"/> for as long as it runs, lines are written as events arrive.
    /// </summary>
    public static async Task<T> RunAsync<T>(ProgressMode mode, CliConsole console, string account,
        Func<IProgress<SyncEvent>, Task<T>> work)
    {
        if (mode != ProgressMode.Bars)
            return await work(new PlainSyncProgress(console.Out, account, mode == ProgressMode.Quiet, TimeProvider.System)).ConfigureAwait(false);
        return await BarSyncProgress.RunAsync(console.Out, account, work).ConfigureAwait(false);
    }
}
