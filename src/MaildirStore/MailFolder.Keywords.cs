using ImapProxy.Store.Maildir;

namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    private DovecotKeywords? _keywordLetters;

    /// <summary>This folder's <c>dovecot-keywords</c> letters, read on first use.</summary>
    private DovecotKeywords KeywordLetters => _keywordLetters ??= DovecotKeywords.Load(Path);

    /// <summary>
    /// Gives the keywords letters in <c>dovecot-keywords</c> so file names can carry them. If the file cannot be
    /// written the keywords still live in the index; they are then only lost if the index is.
    /// </summary>
    private void AssignKeywordLetters(IReadOnlyCollection<string> keywords)
    {
        if (keywords.Count == 0) return;
        try { KeywordLetters.Assign(keywords); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* index only, as the 27th keyword */ }
    }

    /// <summary>
    /// The file name for a message: base name, then <c>:2,</c> with the flag letters and the keywords' letters. Letters
    /// of <paramref name="previousName"/> that stand for nothing this store knows are kept (another tool's) when the
    /// message stays in this folder; a transfer drops them, since this folder's letters mean other keywords.
    /// </summary>
    private string ComposeName(string baseName, MessageFlags flags, IEnumerable<string> keywords, string previousName, bool sameFolder)
    {
        MaildirFileName.ParseFlags(previousName, out string oldLetters);
        var letters = new List<char>();
        foreach (char c in oldLetters)
        {
            bool keywordLetter = c is >= 'a' and <= 'z';
            if (!keywordLetter || (sameFolder && KeywordLetters.KeywordOf(c) is null)) letters.Add(c);
        }
        foreach (var keyword in keywords)
            if (KeywordLetters.LetterOf(keyword) is { } letter && !letters.Contains(letter)) letters.Add(letter);
        return MaildirFileName.Compose(baseName, flags, new string([.. letters]));
    }

    /// <summary>True if any of the keywords has a letter (so the file must go to cur/ with an info part).</summary>
    private bool HasKeywordLetters(IEnumerable<string> keywords) => keywords.Any(k => KeywordLetters.LetterOf(k) is not null);

    /// <summary>The keywords a file name's letters stand for (ingest, and an index rebuilt from the Maildir).</summary>
    private string[] KeywordsFromName(string fileName)
    {
        MaildirFileName.ParseFlags(fileName, out string letters);
        if (letters.Length == 0) return [];
        var keywords = new List<string>();
        foreach (char c in letters)
        {
            if (KeywordLetters.KeywordOf(c) is { } keyword && !keywords.Contains(keyword, StringComparer.OrdinalIgnoreCase))
                keywords.Add(keyword);
        }
        return [.. keywords];
    }

    /// <summary>
    /// The keywords after another writer renamed <paramref name="oldName"/> to <paramref name="newName"/>, or null if
    /// they did not change: letters added or removed add or remove their keyword; keywords without a letter stay.
    /// </summary>
    private string[]? KeywordsAfterRename(string[] current, string oldName, string newName)
    {
        var before = KeywordsFromName(oldName);
        var after = KeywordsFromName(newName);
        var removed = before.Except(after, StringComparer.OrdinalIgnoreCase).ToList();
        var added = after.Except(before, StringComparer.OrdinalIgnoreCase).ToList();
        if (removed.Count == 0 && added.Count == 0) return null;
        var next = current.Where(k => !removed.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var keyword in added)
            if (!next.Contains(keyword, StringComparer.OrdinalIgnoreCase)) next.Add(keyword);
        return Keywords.Apply(current, FlagChangeMode.Replace, [.. next]);
    }
}
