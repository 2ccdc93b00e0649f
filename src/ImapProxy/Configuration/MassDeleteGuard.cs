namespace ImapProxy.Configuration;

/// <summary>
/// The deletion guard: a sync that would delete more than <see cref="Percent"/>% of a folder holding more than
/// <see cref="Minimum"/> messages stops and asks for <c>--allow-mass-delete</c>.
/// </summary>
/// <param name="Percent">Share of the folder, 0–100 (keys <c>massdeletepercent</c>; default 50).</param>
/// <param name="Minimum">Folders with at most this many messages are never guarded (<c>massdeleteminimum</c>; default 20).</param>
public sealed record MassDeleteGuard(int Percent, int Minimum)
{
    /// <summary>More than 50% of a folder holding more than 20 messages.</summary>
    public static MassDeleteGuard Default { get; } = new(50, 20);

    /// <summary><see cref="Percent"/> as a fraction 0–1 (the form <c>SyncOptions.MassDeleteShare</c> takes).</summary>
    public double Share => Percent / 100.0;

    /// <summary>True when deleting <paramref name="deletions"/> of <paramref name="folderCount"/> messages needs confirmation.</summary>
    public bool Trips(int deletions, int folderCount) =>
        folderCount > Minimum && deletions * 100L > Percent * (long)folderCount;
}
