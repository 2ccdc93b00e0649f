using ImapProxy.Protocol;

namespace ImapProxy.Store.Maildir;

/// <summary>
/// Folder names: validation and the mapping to directories for one layout. Names are Unicode with <c>/</c> as the
/// hierarchy separator; each component is stored in modified UTF-7. Nothing a name can say reaches outside the root.
/// </summary>
internal sealed class FolderNames(string root, MaildirLayout layout)
{
    public const string Inbox = "INBOX";
    public const char Separator = '/';
    private const string ReservedPrefix = ".imapproxy";
    private const int MaxComponentBytes = 200;

    public string Root { get; } = root;
    public MaildirLayout Layout { get; } = layout;

    /// <summary>Validates and normalises (INBOX in any case becomes <c>INBOX</c>); throws <see cref="InvalidFolderNameException"/>.</summary>
    public string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) throw Invalid(name, "empty name");
        if (name.Length > 1000) throw Invalid(name, "name too long");
        foreach (char c in name)
        {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) throw Invalid(name, "control characters are not allowed");
            if (c == '*' || c == '%') throw Invalid(name, "'*' and '%' are LIST wildcards");
            if (c == '\\') throw Invalid(name, "'\\' is not allowed");
        }
        if (name[0] == Separator) throw Invalid(name, "absolute names are not allowed");
        if (name[^1] == Separator) throw Invalid(name, "name ends with the hierarchy separator");
        var parts = name.Split(Separator);
        if (parts[0].Equals(Inbox, StringComparison.OrdinalIgnoreCase)) parts[0] = Inbox;
        foreach (var part in parts) ValidateComponent(name, part);
        return string.Join(Separator, parts);
    }

    private void ValidateComponent(string name, string part)
    {
        if (part.Length == 0) throw Invalid(name, "empty hierarchy level");
        if (part == "." || part == "..") throw Invalid(name, "'.' and '..' are not allowed");
        if (part[0] == '.') throw Invalid(name, "a level may not start with '.'");
        if (part.Trim().Length == 0) throw Invalid(name, "blank hierarchy level");
        if (Layout == MaildirLayout.MaildirPlusPlus && part.Contains('.'))
            throw Invalid(name, "'.' is the Maildir++ separator on disk and cannot be part of a name");
        if (Layout == MaildirLayout.Fs && (part is "cur" or "new" or "tmp"))
            throw Invalid(name, "'cur', 'new' and 'tmp' are Maildir's own directories");
        if (System.Text.Encoding.UTF8.GetByteCount(MailboxName.EncodeUtf7(part)) > MaxComponentBytes)
            throw Invalid(name, "a level is too long");
    }

    /// <summary>The folder's Maildir directory (holding cur/new/tmp).</summary>
    public string PathOf(string normalizedName)
    {
        if (normalizedName == Inbox) return Root;
        var encoded = normalizedName.Split(Separator).Select(MailboxName.EncodeUtf7).ToArray();
        string path = Layout == MaildirLayout.MaildirPlusPlus
            ? Path.Combine(Root, "." + string.Join('.', encoded))
            : Path.Combine([Root, .. encoded]);
        if (Layout == MaildirLayout.MaildirPlusPlus && Path.GetFileName(path).StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase))
            throw Invalid(normalizedName, "the name is reserved for the index");
        string full = Path.GetFullPath(path);
        if (!full.StartsWith(Path.GetFullPath(Root).TrimEnd('/') + "/", StringComparison.Ordinal))
            throw Invalid(normalizedName, "the name leads outside the mirror");
        return full;
    }

    /// <summary>Every folder on disk (INBOX first), with non-selectable parents in the fs layout.</summary>
    public List<FolderInfo> ListOnDisk()
    {
        var result = new List<FolderInfo> { new(Inbox, true) };
        if (Layout == MaildirLayout.MaildirPlusPlus) ListMaildirPlusPlus(result);
        else ListFs(Root, "", result);
        return result;
    }

    private void ListMaildirPlusPlus(List<FolderInfo> result)
    {
        var names = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            string dirName = Path.GetFileName(dir);
            if (dirName.Length < 2 || dirName[0] != '.' || dirName.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase)) continue;
            if (!Directory.Exists(Path.Combine(dir, "cur"))) continue;
            if (TryDecodeParts(dirName[1..].Split('.'), out var name)) names.Add(name);
        }
        names.Sort(StringComparer.Ordinal);
        result.AddRange(names.Select(n => new FolderInfo(n, true)));
    }

    private void ListFs(string dir, string prefix, List<FolderInfo> result)
    {
        var children = Directory.EnumerateDirectories(dir).Select(Path.GetFileName).OfType<string>()
            .Where(n => n[0] != '.' && n is not ("cur" or "new" or "tmp")).Order(StringComparer.Ordinal);
        foreach (var child in children)
        {
            if (!TryDecode(child, out var part) || !IsValidComponent(part)) continue;
            string name = prefix.Length == 0 ? part : prefix + Separator + part;
            if (prefix.Length == 0 && name.Equals(Inbox, StringComparison.OrdinalIgnoreCase)) name = Inbox;
            string path = Path.Combine(dir, child);
            if (name != Inbox) result.Add(new FolderInfo(name, Directory.Exists(Path.Combine(path, "cur"))));
            ListFs(path, name, result);
        }
    }

    private bool TryDecodeParts(string[] encodedParts, out string name)
    {
        name = "";
        var parts = new string[encodedParts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!TryDecode(encodedParts[i], out parts[i]) || !IsValidComponent(parts[i])) return false;
        }
        if (parts[0].Equals(Inbox, StringComparison.OrdinalIgnoreCase)) parts[0] = Inbox;
        name = string.Join(Separator, parts);
        return name != Inbox;
    }

    private static bool TryDecode(string encoded, out string name)
    {
        bool ok = MailboxName.TryDecodeUtf7(encoded, out var decoded, out _);
        name = decoded ?? "";
        return ok && decoded is not null;
    }

    private bool IsValidComponent(string part)
    {
        try { return Normalize(part).Length > 0; }
        catch (InvalidFolderNameException) { return false; }
    }

    private static InvalidFolderNameException Invalid(string name, string reason) => new(name, reason);
}
