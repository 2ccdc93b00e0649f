namespace ImapProxy.Protocol;

/// <summary>Message flags: the system flags of RFC 3501 §2.3.2, keywords, and <c>\*</c> of PERMANENTFLAGS.</summary>
public static class ImapFlags
{
#pragma warning disable CS1591 // the RFC's flag names
    public const string Answered = @"\Answered";
    public const string Flagged = @"\Flagged";
    public const string Deleted = @"\Deleted";
    public const string Seen = @"\Seen";
    public const string Draft = @"\Draft";
    public const string Recent = @"\Recent";
    public const string Wildcard = @"\*";
#pragma warning restore CS1591

    private static readonly string[] System = [Answered, Flagged, Deleted, Seen, Draft, Recent];

    /// <summary>The canonical spelling of a system flag in any case (<c>\seen</c> → <c>\Seen</c>); other flags unchanged.</summary>
    public static string Normalize(string flag)
    {
        if (flag.Length == 0 || flag[0] != '\\') return flag;
        foreach (var s in System)
            if (string.Equals(s, flag, StringComparison.OrdinalIgnoreCase)) return s;
        return flag;
    }

    /// <summary>True for the system flags (\Recent included).</summary>
    public static bool IsSystemFlag(string flag)
    {
        foreach (var s in System)
            if (string.Equals(s, flag, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>True for a keyword (an atom without backslash).</summary>
    public static bool IsKeyword(string flag) => flag.Length > 0 && flag[0] != '\\';
}
