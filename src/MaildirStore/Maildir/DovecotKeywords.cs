using System.Globalization;
using System.Text;

namespace ImapProxy.Store.Maildir;

/// <summary>
/// A folder's <c>dovecot-keywords</c> file: which keyword each of the letters <c>a</c>–<c>z</c> in a file name's
/// <c>:2,</c> part stands for (lines <c>"&lt;index&gt; &lt;keyword&gt;"</c>, index 0 = <c>a</c>), as Dovecot keeps it.
/// With it, keywords survive an index rebuild (they are read back from the file names) and Dovecot, reading the same
/// Maildir, sees the same keywords. Only 26 letters exist: further keywords live in the index alone.
/// </summary>
internal sealed class DovecotKeywords
{
    public const string FileName = "dovecot-keywords";
    public const int MaxLetters = 26;

    private readonly string _path;
    private readonly string?[] _keywords = new string?[MaxLetters];
    private DateTime _readMtime;

    private DovecotKeywords(string folderPath) => _path = Path.Combine(folderPath, FileName);

    /// <summary>Reads the folder's file (an absent or unreadable file means no letters assigned yet).</summary>
    public static DovecotKeywords Load(string folderPath)
    {
        var map = new DovecotKeywords(folderPath);
        map.Refresh();
        return map;
    }

    /// <summary>The letter standing for <paramref name="keyword"/> (case-insensitive), if any.</summary>
    public char? LetterOf(string keyword)
    {
        for (int i = 0; i < MaxLetters; i++)
            if (string.Equals(_keywords[i], keyword, StringComparison.OrdinalIgnoreCase)) return (char)('a' + i);
        return null;
    }

    /// <summary>The keyword a letter stands for, or null.</summary>
    public string? KeywordOf(char letter) => letter is >= 'a' and <= 'z' ? _keywords[letter - 'a'] : null;

    /// <summary>
    /// Gives free letters to the keywords that have none, and writes the file durably if any was given. Another
    /// writer's (Dovecot's) additions are read first so none is overwritten. Throws if the file cannot be written.
    /// </summary>
    public void Assign(IEnumerable<string> keywords)
    {
        Refresh();
        bool changed = false;
        foreach (var keyword in keywords)
        {
            if (LetterOf(keyword) is not null) continue;
            int free = Array.IndexOf(_keywords, null);
            if (free < 0) break; // all 26 taken: this keyword stays in the index only
            _keywords[free] = keyword;
            changed = true;
        }
        if (changed) Write();
    }

    /// <summary>Reads the file again if another writer (Dovecot) changed it since.</summary>
    public void Refresh()
    {
        try
        {
            if (!File.Exists(_path)) return;
            var mtime = File.GetLastWriteTimeUtc(_path);
            if (mtime == _readMtime) return;
            foreach (var line in File.ReadAllLines(_path))
            {
                int space = line.IndexOf(' ');
                if (space <= 0 || !int.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out int index)) continue;
                string keyword = line[(space + 1)..].Trim();
                if (index < MaxLetters && Keywords.IsValid(keyword)) _keywords[index] = keyword;
            }
            _readMtime = mtime;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable: the letters already known stay; keywords without one live in the index.
        }
    }

    private void Write()
    {
        var text = new StringBuilder();
        for (int i = 0; i < MaxLetters; i++)
            if (_keywords[i] is { } keyword) text.Append(CultureInfo.InvariantCulture, $"{i} {keyword}\n");
        string tmp = _path + ".imapproxy-tmp";
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(Encoding.UTF8.GetBytes(text.ToString()));
            file.Flush(flushToDisk: true);
        }
        File.Move(tmp, _path, overwrite: true);
        Durability.SyncDirectory(Path.GetDirectoryName(_path)!);
        _readMtime = File.GetLastWriteTimeUtc(_path);
    }
}
