using System.Security.Cryptography;
using System.Text;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>Flags in one canonical form: \Recent left out, system flags capitalised, sorted, space-separated.</summary>
internal static class MailFlags
{
    private static readonly string[] System = [@"\Seen", @"\Answered", @"\Flagged", @"\Deleted", @"\Draft"];

    public static string Parse(string imapFlags) => Canonical(imapFlags.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    public static string Canonical(IEnumerable<string> flags) =>
        string.Join(' ', flags
            .Where(f => !f.Equals(@"\Recent", StringComparison.OrdinalIgnoreCase))
            .Select(f => System.FirstOrDefault(s => s.Equals(f, StringComparison.OrdinalIgnoreCase)) ?? f)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal));
}

/// <summary>
/// What one side holds: per folder, one line per message ("Message-ID sha flags"), so a duplicate shows as a repeated
/// line and a damaged body as a different hash. Bodies are hashed with line ends normalised (a Maildir may keep LF).
/// </summary>
internal sealed class MailSnapshot
{
    private readonly SortedDictionary<string, List<string>> _folders = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, List<string>> Folders => _folders;

    public void AddFolder(string folder) => _folders.TryAdd(folder, []);

    public void Add(string folder, byte[] body, string flags)
    {
        AddFolder(folder);
        _folders[folder].Add(Line(MessageIdOf(body), Hash(body), flags));
    }

    public static string Line(string messageId, string hash, string flags) => $"{messageId} {hash} [{flags}]";

    public static string Hash(byte[] body)
    {
        var normalised = new MemoryStream(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\r' || i + 1 >= body.Length || body[i + 1] != '\n')
            {
                normalised.WriteByte(body[i]);
            }
        }
        return Convert.ToHexString(SHA256.HashData(normalised.ToArray()))[..16];
    }

    public static string MessageIdOf(byte[] body)
    {
        var text = Encoding.Latin1.GetString(body);
        var end = text.IndexOf("\n\n", StringComparison.Ordinal) is var lf and >= 0 ? lf : text.Length;
        var crlfEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (crlfEnd >= 0 && crlfEnd < end)
        {
            end = crlfEnd;
        }
        foreach (var line in text[..end].Split('\n'))
        {
            if (line.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
            {
                return line[11..].Trim();
            }
        }
        return "(no-id)";
    }

    public string Describe() =>
        string.Join("\n", _folders.Select(f => $"  {f.Key}: {string.Join(", ", f.Value.Order(StringComparer.Ordinal))}"));
}

/// <summary>The messages both sides should hold: what the test put in, changed and removed, by the sync rules.</summary>
internal sealed class MailModel
{
    private readonly SortedDictionary<string, Dictionary<string, (string Hash, string Flags)>> _folders = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public void AddFolder(string folder)
    {
        lock (_gate)
        {
            _folders.TryAdd(folder, new Dictionary<string, (string, string)>(StringComparer.Ordinal));
        }
    }

    public void Add(string folder, byte[] body, string flags)
    {
        AddFolder(folder);
        lock (_gate)
        {
            _folders[folder].Add(MailSnapshot.MessageIdOf(body), (MailSnapshot.Hash(body), MailFlags.Parse(flags)));
        }
    }

    public void SetFlags(string folder, string messageId, string flags)
    {
        lock (_gate)
        {
            var folderMessages = _folders[folder];
            folderMessages[messageId] = (folderMessages[messageId].Hash, MailFlags.Parse(flags));
        }
    }

    public string FlagsOf(string folder, string messageId)
    {
        lock (_gate)
        {
            return _folders[folder][messageId].Flags;
        }
    }

    public void Remove(string folder, string messageId)
    {
        lock (_gate)
        {
            if (!_folders[folder].Remove(messageId))
            {
                throw new InvalidOperationException($"model: {messageId} not in {folder}");
            }
        }
    }

    public void Move(string from, string messageId, string to)
    {
        AddFolder(to);
        lock (_gate)
        {
            var entry = _folders[from][messageId];
            _folders[from].Remove(messageId);
            _folders[to].Add(messageId, entry);
        }
    }

    /// <summary>Messages of a folder, as (folder, Message-ID) pairs, for picking what to change.</summary>
    public List<(string Folder, string MessageId)> Messages()
    {
        lock (_gate)
        {
            return _folders.SelectMany(f => f.Value.Keys.Order(StringComparer.Ordinal).Select(id => (f.Key, id))).ToList();
        }
    }

    /// <summary>Differences between this model and a side's snapshot, empty when it holds exactly what it should.</summary>
    public List<string> Differences(MailSnapshot snapshot)
    {
        var differences = new List<string>();
        lock (_gate)
        {
            foreach (var folder in _folders.Keys.Union(snapshot.Folders.Keys).Order(StringComparer.Ordinal))
            {
                if (!_folders.TryGetValue(folder, out var expected))
                {
                    differences.Add($"unexpected folder {folder}");
                    continue;
                }
                if (!snapshot.Folders.TryGetValue(folder, out var actual))
                {
                    differences.Add($"missing folder {folder}");
                    continue;
                }
                var want = expected.Select(e => MailSnapshot.Line(e.Key, e.Value.Hash, e.Value.Flags)).ToList();
                foreach (var line in actual.GroupBy(l => l))
                {
                    var wanted = want.Count(w => w == line.Key);
                    if (line.Count() > wanted)
                    {
                        differences.Add($"{folder}: {(wanted == 0 ? "unexpected" : "duplicate")} {line.Key} ×{line.Count()}");
                    }
                }
                differences.AddRange(want.Where(w => !actual.Contains(w)).Select(w => $"{folder}: missing {w}"));
            }
        }
        return differences;
    }
}
