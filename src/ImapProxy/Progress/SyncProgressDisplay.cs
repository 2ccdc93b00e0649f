using ImapProxy.Cli;
using ImapProxy.Upstream.Sync;

namespace ImapProxy.Progress;

/// <summary>How <c>imapproxy sync</c> shows its progress while a pass runs.</summary>
internal enum ProgressMode
{
    /// <summary>Live per-folder bars with counts, bytes and rate (a terminal, not <c>-q</c>).</summary>
    Bars,

    /// <summary>Plain lines as folders start and finish (output to a file, a pipe or the journal).</summary>
    Lines,

    /// <summary>Nothing while it runs (<c>-q</c>, or a dry run, whose report is the whole story).</summary>
    None,
}

/// <summary>Chooses and runs the progress display of a sync pass.</summary>
internal static class SyncProgressDisplay
{
    /// <summary>
    /// Bars only on a terminal that can draw them; quiet wins over everything; <c>TERM=dumb</c> (Emacs shells,
    /// some CI consoles) gets lines, since live redrawing would print every frame there.
    /// </summary>
    public static ProgressMode Select(bool quiet, bool outputIsTerminal, string? term)
    {
        if (quiet)
            return ProgressMode.None;
        if (!outputIsTerminal || term == "dumb")
            return ProgressMode.Lines;
        return ProgressMode.Bars;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with the progress sink of <paramref name="mode"/> for <paramref name="account"/>
    /// (null for <see cref="ProgressMode.None"/>); bars are drawn on <see cref="CliConsole.Out"/> while it runs.
    /// </summary>
    public static Task<T> RunAsync<T>(ProgressMode mode, CliConsole console, string account,
        Func<IProgress<SyncEvent>?, Task<T>> work) => mode switch
    {
        ProgressMode.Bars => BarSyncProgress.RunAsync(console.Out, account, work),
        ProgressMode.Lines => work(new PlainSyncProgress(console.Out, account, TimeProvider.System)),
        _ => work(null),
    };
}
