using System.Text;

namespace ImapProxy.Configuration;

/// <summary>
/// Value syntax: a value may be written in double quotes (<c>"a ; b"</c>, with <c>\"</c> and <c>\\</c> escapes) to
/// keep comment characters or surrounding spaces; list values are split on whitespace, and each item may be quoted
/// (<c>exclude = Spam "Deleted Items"</c>).
/// </summary>
internal static class IniValue
{
    /// <summary>Removes an inline comment: <c>;</c> or <c>#</c> preceded by whitespace and outside quotes.</summary>
    public static string StripComment(string value, string origin, string key)
    {
        var inQuotes = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (inQuotes && c == '\\')
                i++;
            else if (c == '"')
                inQuotes = !inQuotes;
            else if (!inQuotes && c is ';' or '#' && (i == 0 || char.IsWhiteSpace(value[i - 1])))
                return value[..i];
        }
        if (inQuotes)
            throw new ConfigException(origin, $"value of key '{key}' has an unterminated quote");
        return value;
    }

    /// <summary>A single value: unquoted if the whole value is one quoted string, else as written.</summary>
    public static string Scalar(IniEntry entry)
    {
        if (entry.Verbatim)
            return entry.RawValue;
        var items = Tokenize(entry.RawValue, entry);
        var raw = entry.RawValue.Trim();
        return items.Count == 1 && raw.StartsWith('"') ? items[0] : raw;
    }

    /// <summary>A whitespace-separated list; with <paramref name="commas"/>, commas separate items too.</summary>
    public static IReadOnlyList<string> List(IniEntry entry, bool commas = false)
    {
        var items = Tokenize(entry.RawValue, entry, commas);
        return items.Where(i => i.Length > 0).ToArray();
    }

    private static List<string> Tokenize(string text, IniEntry entry, bool commas = false)
    {
        var items = new List<string>();
        var current = new StringBuilder();
        var inQuotes = false;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '\\' && i + 1 < text.Length)
                    current.Append(text[++i]);
                else if (c == '"')
                    inQuotes = false;
                else
                    current.Append(c);
            }
            else if (c == '"')
            {
                inQuotes = quoted = true;
            }
            else if (char.IsWhiteSpace(c) || (commas && c == ','))
            {
                Flush();
            }
            else
            {
                current.Append(c);
            }
        }
        if (inQuotes)
            throw new ConfigException(entry.Origin, $"value of key '{entry.Key}' has an unterminated quote");
        Flush();
        return items;

        void Flush()
        {
            if (current.Length > 0 || quoted)
                items.Add(current.ToString());
            current.Clear();
            quoted = false;
        }
    }
}
