namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// Another program working on the mirror's Maildir directly, as mutt or a shell script would: it finds a message's
/// file by its base name (the part before <c>:2,</c>), changes flags by renaming it into cur/ with the info letters
/// changed, and expunges by deleting it. When a rename loses a race with another renamer (the file has just moved),
/// it looks again and retries on the new name, so its change lands on top of the other one.
/// </summary>
internal sealed class ExternalMaildirWriter
{
    private static readonly Dictionary<string, char> Letters = new(StringComparer.Ordinal)
    {
        [@"\Draft"] = 'D', [@"\Flagged"] = 'F', [@"\Answered"] = 'R', [@"\Seen"] = 'S',
    };

    /// <summary>The flags a Maildir info letter stands for, the ones this writer can change.</summary>
    public static IReadOnlyCollection<string> Flags => Letters.Keys;

    /// <summary>The base name of the file in <paramref name="folderPath"/> holding <paramref name="messageId"/>.</summary>
    public static string BaseNameOf(string folderPath, string messageId)
    {
        foreach (var file in Files(folderPath))
        {
            if (MailSnapshot.MessageIdOf(File.ReadAllBytes(file)) == messageId)
            {
                return BaseName(Path.GetFileName(file));
            }
        }
        throw new InvalidOperationException($"no file in {folderPath} holds {messageId}");
    }

    /// <summary>Sets or clears <paramref name="flag"/> (a system flag with a letter); false when the message is gone.</summary>
    public static bool SetFlag(string folderPath, string baseName, string flag, bool on)
    {
        var letter = Letters[flag];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (Find(folderPath, baseName) is not { } file)
            {
                return false;
            }
            var name = Path.GetFileName(file);
            var info = name.Length > baseName.Length + 3 ? name[(baseName.Length + 3)..] : "";
            var letters = on ? info + letter : info.Replace(letter.ToString(), "", StringComparison.Ordinal);
            var sorted = new string(letters.Distinct().Order().ToArray());
            try
            {
                File.Move(file, Path.Combine(folderPath, "cur", $"{baseName}:2,{sorted}"), overwrite: true);
                return true;
            }
            catch (FileNotFoundException)
            {
                // Renamed by someone else since we looked: look again.
            }
        }
        throw new InvalidOperationException($"{baseName}: lost 50 rename races in a row");
    }

    /// <summary>Deletes the message's file (a Maildir expunge); false when it was already gone.</summary>
    public static bool Delete(string folderPath, string baseName)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (Find(folderPath, baseName) is not { } file)
            {
                return false;
            }
            File.Delete(file);
            if (Find(folderPath, baseName) is null)
            {
                return true;
            }
            // Renamed by someone else just before the delete (which then found nothing): delete the new name.
        }
        throw new InvalidOperationException($"{baseName}: could not delete it");
    }

    private static string? Find(string folderPath, string baseName) =>
        Files(folderPath).FirstOrDefault(f => BaseName(Path.GetFileName(f)) == baseName);

    private static IEnumerable<string> Files(string folderPath) =>
        new[] { "cur", "new" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(folderPath, d)));

    private static string BaseName(string fileName) =>
        fileName.IndexOf(":2,", StringComparison.Ordinal) is var colon and >= 0 ? fileName[..colon] : fileName;
}
