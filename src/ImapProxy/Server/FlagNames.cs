using ImapProxy.Store;

namespace ImapProxy.Server;

/// <summary>System flags and keywords as IMAP writes them, and back.</summary>
internal static class FlagNames
{
    private static readonly (MessageFlags Flag, string Name)[] System =
    [
        (MessageFlags.Answered, "\\Answered"),
        (MessageFlags.Flagged, "\\Flagged"),
        (MessageFlags.Deleted, "\\Deleted"),
        (MessageFlags.Seen, "\\Seen"),
        (MessageFlags.Draft, "\\Draft"),
    ];

    /// <summary>The FLAGS list of SELECT.</summary>
    public const string Defined = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";

    public static void Write(ResponseWriter writer, MessageFlags flags, IReadOnlyList<string> keywords, bool recent)
    {
        bool first = true;
        foreach (var (flag, name) in System)
        {
            if ((flags & flag) != 0)
            {
                if (!first)
                {
                    writer.Space();
                }
                writer.Ascii(name);
                first = false;
            }
        }
        foreach (var keyword in keywords)
        {
            if (!first)
            {
                writer.Space();
            }
            writer.Ascii(keyword);
            first = false;
        }
        if (recent)
        {
            if (!first)
            {
                writer.Space();
            }
            writer.Bytes("\\Recent"u8);
        }
    }

    /// <summary>Splits a client's flag list into system flags and keywords; false for an unknown \-flag.</summary>
    public static bool TryParse(IEnumerable<string> names, out MessageFlags flags, out List<string> keywords, out string? error)
    {
        flags = MessageFlags.None;
        keywords = new List<string>();
        error = null;
        foreach (var name in names)
        {
            if (name.StartsWith('\\'))
            {
                var match = System.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                if (match.Name is null)
                {
                    if (name.Equals("\\Recent", StringComparison.OrdinalIgnoreCase))
                    {
                        continue; // RFC 3501 §2.3.2: \Recent cannot be set by the client; ignore it as Dovecot does.
                    }
                    error = $"Unknown system flag {ImapSession.Printable(name)}";
                    return false;
                }
                flags |= match.Flag;
            }
            else if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 0x7f || "(){%*\"\\]".Contains(c)))
            {
                error = $"Invalid keyword {ImapSession.Printable(name)}";
                return false;
            }
            else if (!keywords.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                keywords.Add(name);
            }
        }
        return true;
    }
}
