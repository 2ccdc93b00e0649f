namespace ImapProxy.Store.Maildir;

/// <summary>
/// Reads Dovecot's <c>dovecot-uidlist</c> (versions 1 and 3) so an adopted Dovecot Maildir keeps its UIDs.
/// Version 3: header <c>3 V&lt;uidvalidity&gt; N&lt;nextuid&gt; …</c>, then <c>&lt;uid&gt; [ext…] :&lt;base name&gt;</c>.
/// </summary>
internal sealed record DovecotUidList(uint UidValidity, uint NextUid, Dictionary<string, uint> UidsByBaseName)
{
    public const string FileName = "dovecot-uidlist";

    public static async Task<DovecotUidList?> TryReadAsync(string folderPath, CancellationToken cancellationToken)
    {
        string path = Path.Combine(folderPath, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
            return lines.Length == 0 ? null : Parse(lines);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static DovecotUidList? Parse(string[] lines)
    {
        var header = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        uint validity = 0, next = 0;
        if (header.Length >= 3 && header[0] == "1")
        {
            uint.TryParse(header[1], out validity);
            uint.TryParse(header[2], out next);
        }
        else if (header.Length >= 1 && header[0] == "3")
        {
            foreach (var field in header.Skip(1))
            {
                if (field.StartsWith('V')) uint.TryParse(field.AsSpan(1), out validity);
                else if (field.StartsWith('N')) uint.TryParse(field.AsSpan(1), out next);
            }
        }
        else return null;
        if (validity == 0) return null;

        var uids = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            int space = line.IndexOf(' ');
            if (space <= 0 || !uint.TryParse(line.AsSpan(0, space), out uint uid) || uid == 0) continue;
            int colon = line.IndexOf(':', space);
            string name = header[0] == "3" && colon > 0 ? line[(colon + 1)..] : line[(space + 1)..].Trim();
            if (name.Length > 0) uids[MaildirFileName.BaseName(name)] = uid;
        }
        uint maxUid = uids.Count == 0 ? 0 : uids.Values.Max();
        return new DovecotUidList(validity, Math.Max(next, maxUid + 1), uids);
    }
}
