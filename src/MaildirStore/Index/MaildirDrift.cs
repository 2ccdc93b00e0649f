using ImapProxy.Store.Maildir;

namespace ImapProxy.Store.Index;

/// <summary>One indexed message with the file name the index last saw for it.</summary>
internal readonly record struct IndexedFile(MessageInfo Info, string FileName);

/// <summary>
/// What a Maildir holds now against what its index recorded: messages whose files are gone, flags changed by renames
/// (mutt, neomutt, a script), and files nobody indexed yet. Read-only: it lists directories and touches no file.
/// </summary>
/// <remarks>
/// <c>imapproxy status</c> must show changes made while no <c>serve</c> watched the Maildir (a user reading mail in
/// mutt on a plane), or it would claim "nothing to push" right before a sync pushes them. Only the flags a file name
/// carries are taken from disk; keywords stay as indexed, since their letters mean something only through the
/// folder's keyword file, which the next scan reads.
/// </remarks>
internal static class MaildirDrift
{
    private const MessageFlags FileNameFlags =
        MessageFlags.Seen | MessageFlags.Answered | MessageFlags.Flagged | MessageFlags.Deleted | MessageFlags.Draft;

    /// <summary>
    /// The indexed messages as the folder directory <paramref name="folderDirectory"/> holds them now (gone files
    /// dropped, flags from the current file names), and the number of files the index does not know.
    /// </summary>
    public static (List<MessageInfo> Messages, int UnindexedFiles) Apply(string folderDirectory, IReadOnlyList<IndexedFile> indexed)
    {
        var onDisk = ListByBaseName(folderDirectory);
        var messages = new List<MessageInfo>(indexed.Count);
        foreach (var file in indexed)
        {
            var baseName = MaildirFileName.BaseName(file.FileName);
            if (!onDisk.Remove(baseName, out var currentName)) continue;
            var flags = (file.Info.Flags & ~FileNameFlags) | MaildirFileName.ParseFlags(currentName);
            messages.Add(file.Info with { Flags = flags });
        }
        return (messages, onDisk.Count);
    }

    /// <summary>The number of message files in a folder directory the index has never seen.</summary>
    public static int CountFiles(string folderDirectory) => ListByBaseName(folderDirectory).Count;

    private static Dictionary<string, string> ListByBaseName(string folderDirectory)
    {
        var byBase = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sub in (string[])["new", "cur"])
        {
            var directory = Path.Combine(folderDirectory, sub);
            // A folder directory removed by hand reads as empty: its messages count as gone, which is what a sync
            // would see (and what the deletion guard is there for).
            if (!Directory.Exists(directory)) continue;
            try
            {
                foreach (var name in DirectoryListing.ListAll(directory))
                {
                    byBase.TryAdd(MaildirFileName.BaseName(name), name);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreIOException($"Cannot list {directory}: {e.Message}", e);
            }
        }
        return byBase;
    }
}
