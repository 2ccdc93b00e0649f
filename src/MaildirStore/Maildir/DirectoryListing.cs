using System.IO.Enumeration;
using ImapProxy.Store.Index;

namespace ImapProxy.Store.Maildir;

/// <summary>
/// Lists a new/ or cur/ directory against the names already known: known names are only marked as seen (no string
/// is made for them), so a 100,000-entry directory costs one pass of span look-ups.
/// </summary>
internal static class DirectoryListing
{
    private static readonly EnumerationOptions Options = new()
    {
        AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false, ReturnSpecialDirectories = false,
    };

    /// <summary>Marks known entries with <paramref name="generation"/>; returns the names that are not known.</summary>
    public static List<string> ListUnknown(string directory, bool isNew, Dictionary<string, MessageEntry> known, int generation)
    {
        var lookup = known.GetAlternateLookup<ReadOnlySpan<char>>();
        var enumerable = new FileSystemEnumerable<string>(directory, (ref FileSystemEntry e) => e.FileName.ToString(), Options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) =>
            {
                var name = e.FileName;
                if (name.Length == 0 || name[0] == '.') return false;
                if (lookup.TryGetValue(name, out var entry) && entry.InNew == isNew)
                {
                    entry.SeenInScan = generation;
                    return false;
                }
                return !e.IsDirectory;
            },
        };
        return [.. enumerable];
    }

    /// <summary>All file names in the directory (for the confirmation pass).</summary>
    public static List<string> ListAll(string directory)
    {
        var enumerable = new FileSystemEnumerable<string>(directory, (ref FileSystemEntry e) => e.FileName.ToString(), Options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => e.FileName.Length > 0 && e.FileName[0] != '.' && !e.IsDirectory,
        };
        return [.. enumerable];
    }
}
