namespace ImapProxy.Protocol;

/// <summary>Upper-cases command names, returning interned strings for the known ones (no allocation per command).</summary>
internal static class CommandNames
{
    private static readonly string[] Known =
    [
        "APPEND", "AUTHENTICATE", "CAPABILITY", "CHECK", "CLOSE", "COMPRESS", "COPY", "CREATE", "DELETE", "ENABLE",
        "EXAMINE", "EXPUNGE", "FETCH", "GETQUOTA", "GETQUOTAROOT", "ID", "IDLE", "LIST", "LOGIN", "LOGOUT", "LSUB",
        "MOVE", "NAMESPACE", "NOOP", "RENAME", "SEARCH", "SELECT", "SETQUOTA", "SORT", "STARTTLS", "STATUS", "STORE",
        "SUBSCRIBE", "THREAD", "UID", "UNAUTHENTICATE", "UNSELECT", "UNSUBSCRIBE", "XLIST", "GETMETADATA",
        "SETMETADATA",
    ];

    public static string Normalize(string name)
    {
        foreach (var known in Known)
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase)) return known;
        return name.ToUpperInvariant();
    }
}
