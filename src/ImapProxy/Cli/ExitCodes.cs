namespace ImapProxy.Cli;

/// <summary>
/// The process exit codes of <c>imapproxy</c>, from <c>sysexits.h</c> where one fits, so scripts and systemd can
/// tell "fix your command line" from "fix your config" from "try again later".
/// </summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Any other failure, including internal errors.</summary>
    public const int Failure = 1;

    /// <summary>Bad command line: unknown option or command, bad option value, unknown account in <c>-a</c>.</summary>
    public const int Usage = 2;

    /// <summary>
    /// The deletion guard stopped a sync (a folder, or the whole account when one side came back empty); rerun with
    /// <c>--allow-mass-delete</c> if the deletions are intended.
    /// </summary>
    public const int DeletionGuard = 3;

    /// <summary>
    /// A service is unavailable (EX_UNAVAILABLE): the upstream server cannot be reached or dropped the connection, or
    /// the requested component is not part of this build.
    /// </summary>
    public const int Unavailable = 69;

    /// <summary>Temporary failure, worth retrying: state directory locked by another process (EX_TEMPFAIL).</summary>
    public const int TempFail = 75;

    /// <summary>The upstream server refused the login (EX_NOPERM): check the user name and password or token.</summary>
    public const int AuthFailed = 77;

    /// <summary>The configuration is invalid or unreadable, or a password/token command failed (EX_CONFIG).</summary>
    public const int Config = 78;

    /// <summary>Interrupted by SIGINT or SIGTERM (128 + 2, as shells report Ctrl+C).</summary>
    public const int Interrupted = 130;
}
