namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>
/// The mbsync-style message table, shared by the engine tests (in-memory and Maildir sides) and the live tests
/// (Dovecot and a real Maildir). Each row: one message's flags upstream, in the base (the last sync) and locally,
/// then the expected flags on both sides after a sync. "-" is absent (for the base: never synced); short flags
/// S=\Seen F=\Flagged A=\Answered D=\Deleted k=$Label1.
/// </summary>
internal static class MessageTable
{
    public const string Absent = "-";

    public static readonly string[][] Rows =
    [
        //        upstream base  local   → upstream local   (why)
        // new messages
        ["S",     "-",   "-",      "S",     "S"],  // new upstream: downloaded
        ["-",     "-",   "F",      "F",     "F"],  // new local: uploaded
        ["S",     "-",   "F",      "FS",    "FS"], // same message new on both (lost state): paired, flags united
        ["",      "-",   "",       "",      ""],   // same, no flags
        // flags, one side changed
        ["S",     "",    "",       "S",     "S"],
        ["",      "S",   "S",      "",      ""],
        ["S",     "S",   "",       "",      ""],
        ["SF",    "S",   "S",      "SF",    "SF"],
        ["k",     "",    "",       "k",     "k"],  // keyword
        ["",      "k",   "k",      "",      ""],
        ["AS",    "S",   "S",      "AS",    "AS"],
        ["D",     "",    "",       "D",     "D"],  // \Deleted is a flag like any other
        // flags, both sides changed
        ["F",     "",    "S",      "FS",    "FS"], // different flags set: both kept
        ["S",     "",    "S",      "S",     "S"],  // same flag set on both
        ["",      "S",   "",       "",      ""],   // same flag cleared on both
        ["SF",    "S",   "",       "F",     "F"],  // F set upstream, S cleared locally
        ["k",     "S",   "SF",     "Fk",    "Fk"], // S cleared upstream, k set there, F set locally
        // expunges
        ["-",     "S",   "S",      "-",     "-"],  // expunged upstream, unchanged locally: expunged locally
        ["S",     "S",   "-",      "-",     "-"],  // expunged locally, unchanged upstream: expunged upstream
        ["-",     "S",   "-",      "-",     "-"],  // expunged on both
        ["-",     "S",   "SF",     "SF",    "SF"], // expunged upstream, changed locally: kept and copied back
        ["SF",    "S",   "-",      "SF",    "SF"], // expunged locally, changed upstream: kept and copied back
        ["-",     "S",   "",       "",      ""],   // expunged upstream, flag cleared locally: kept
        ["-",     "S",   "DS",     "-",     "-"],  // expunged upstream, only marked \Deleted locally: both meant it gone
        ["DS",    "S",   "-",      "-",     "-"],  // expunged locally, only marked \Deleted upstream: the same
        ["-",     "S",   "DFS",    "DFS",   "DFS"], // expunged upstream, marked \Deleted and flagged locally: kept
        ["-",     "DS",  "D",      "D",     "D"],  // expunged upstream, \Seen cleared on a deleted one: kept
    ];

    /// <summary>The copies <c>SideOps.CopiesAsync</c> should report for an expected cell.</summary>
    public static List<string> Expected(string flags) => flags == Absent ? [] : [new string(flags.Order().ToArray())];
}
