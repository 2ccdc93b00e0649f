namespace ImapProxy.Store;

/// <summary>IMAP keywords (flag-keyword atoms such as <c>$Junk</c>): validation and set arithmetic, case-insensitive.</summary>
internal static class Keywords
{
    public static string[] Normalize(IReadOnlyCollection<string>? keywords)
    {
        if (keywords is null || keywords.Count == 0) return [];
        var result = new List<string>(keywords.Count);
        foreach (var keyword in keywords)
        {
            if (!IsValid(keyword)) throw new MailStoreException($"Invalid keyword: {keyword}");
            if (!result.Contains(keyword, StringComparer.OrdinalIgnoreCase)) result.Add(keyword);
        }
        return [.. result];
    }

    /// <summary>The new keyword list, or null if nothing changes.</summary>
    public static string[]? Apply(string[] current, FlagChangeMode mode, string[] given)
    {
        string[] next = mode switch
        {
            FlagChangeMode.Add => [.. current, .. given.Where(k => !current.Contains(k, StringComparer.OrdinalIgnoreCase))],
            FlagChangeMode.Remove => current.Where(k => !given.Contains(k, StringComparer.OrdinalIgnoreCase)).ToArray(),
            _ => given,
        };
        bool same = next.Length == current.Length && next.All(k => current.Contains(k, StringComparer.OrdinalIgnoreCase));
        return same ? null : next;
    }

    /// <summary>RFC 3501 atom without the resp-specials; not a system flag.</summary>
    public static bool IsValid(string keyword)
    {
        if (string.IsNullOrEmpty(keyword) || keyword.Length > 250 || keyword[0] == '\\') return false;
        foreach (char c in keyword)
        {
            if (c <= 0x20 || c >= 0x7f || c is '(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']') return false;
        }
        return true;
    }
}
