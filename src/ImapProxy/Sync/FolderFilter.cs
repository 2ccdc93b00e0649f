using ImapProxy.Configuration;

namespace ImapProxy.Sync;

/// <summary>
/// Which folders of an account a sync looks at: the account's <c>folders</c> patterns, minus its <c>exclude</c>
/// patterns, and (for <c>imapproxy sync -f</c>) only the folders named on the command line. Patterns are IMAP LIST
/// patterns over the sync's folder names, which use <c>/</c> as hierarchy delimiter whatever the server's:
/// <c>*</c> matches anything, <c>%</c> anything within one level. <c>INBOX</c> matches case-insensitively.
/// </summary>
public sealed class FolderFilter
{
    private readonly IReadOnlyList<string> _include;
    private readonly IReadOnlyList<string> _exclude;
    private readonly IReadOnlyList<string> _only;

    /// <summary>Creates a filter.</summary>
    /// <param name="include">Patterns a folder must match (at least one).</param>
    /// <param name="exclude">Patterns a folder must not match (none).</param>
    /// <param name="only">When not empty, patterns or names a folder must also match (the <c>-f</c> list).</param>
    public FolderFilter(IReadOnlyList<string> include, IReadOnlyList<string> exclude, IReadOnlyList<string>? only = null)
    {
        _include = include;
        _exclude = exclude;
        _only = only ?? [];
    }

    /// <summary>The filter for <paramref name="account"/>, narrowed to <paramref name="only"/> when given.</summary>
    public static FolderFilter For(AccountConfig account, IReadOnlyList<string>? only = null) => new(account.Folders, account.Exclude, only);

    /// <summary>True when the sync should look at <paramref name="folder"/>.</summary>
    public bool Includes(string folder) =>
        _include.Any(p => Matches(p, folder)) && !_exclude.Any(p => Matches(p, folder)) && (_only.Count == 0 || _only.Any(p => Matches(p, folder)));

    /// <summary>True when <paramref name="name"/> matches the LIST pattern <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string name)
    {
        pattern = CanonicalInbox(pattern);
        name = CanonicalInbox(name);
        // matches[i, j]: pattern[i..] matches name[j..]; filled from the end, O(pattern × name), no backtracking blow-up.
        var matches = new bool[pattern.Length + 1, name.Length + 1];
        matches[pattern.Length, name.Length] = true;
        for (var i = pattern.Length - 1; i >= 0; i--)
        {
            for (var j = name.Length; j >= 0; j--)
            {
                matches[i, j] = pattern[i] switch
                {
                    '*' => matches[i + 1, j] || (j < name.Length && matches[i, j + 1]),
                    '%' => matches[i + 1, j] || (j < name.Length && name[j] != '/' && matches[i, j + 1]),
                    var c => j < name.Length && name[j] == c && matches[i + 1, j + 1],
                };
            }
        }
        return matches[0, 0];
    }

    // INBOX is case-insensitive (RFC 3501 §5.1), also as the first level of a longer name or pattern.
    private static string CanonicalInbox(string text) =>
        text.StartsWith("INBOX", StringComparison.OrdinalIgnoreCase) && (text.Length == 5 || text[5] is '/' or '*' or '%')
            ? "INBOX" + text[5..]
            : text;
}
