namespace ImapProxy.Configuration;

/// <summary>
/// Reads the INI syntax: <c>[section]</c> headers, <c>key = value</c> lines, full-line comments starting with
/// <c>;</c> or <c>#</c>, and inline comments that start with <c>;</c> or <c>#</c> after whitespace outside quotes.
/// Syntax errors and duplicate sections or keys throw <see cref="ConfigException"/> naming file and line.
/// </summary>
internal static class IniReader
{
    public static IniDocument Parse(string text, string displayPath)
    {
        var document = new IniDocument(displayPath);
        IniSection? section = null;
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var origin = $"{displayPath}:{lineNumber}";
            var line = rawLine.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] is ';' or '#')
                continue;
            if (line[0] == '[')
            {
                section = ReadHeader(line, origin, document);
                document.Add(section);
                continue;
            }

            var equals = line.IndexOf('=');
            if (equals <= 0)
                throw new ConfigException(origin, $"expected 'key = value' or '[section]', found '{Shorten(line)}'");
            var key = line[..equals].Trim().ToLowerInvariant();
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
                throw new ConfigException(origin, $"'{Shorten(line[..equals].Trim())}' is not a valid key name");
            if (section is null)
                throw new ConfigException(origin, $"key '{Shorten(key)}' appears before any [section]");
            if (section.Find(key) is { } earlier)
                throw new ConfigException(origin,
                    $"key '{Shorten(key)}' is set twice in [{section.Header}] (first at line {LineOf(earlier.Origin)})");
            var value = IniValue.StripComment(line[(equals + 1)..], origin, key).Trim();
            section.Add(new IniEntry(key, value, origin));
        }
        return document;
    }

    private static IniSection ReadHeader(string line, string origin, IniDocument document)
    {
        var close = line.IndexOf(']');
        if (close < 0)
            throw new ConfigException(origin, $"section header '{Shorten(line)}' has no closing ']'");
        var rest = line[(close + 1)..].Trim();
        if (rest.Length > 0 && rest[0] is not (';' or '#'))
            throw new ConfigException(origin, $"unexpected text '{Shorten(rest)}' after section header");
        var header = string.Join(' ', line[1..close].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (header.Length == 0)
            throw new ConfigException(origin, "empty section header '[]'");
        var words = header.Split(' ', 2);
        header = words.Length == 2 ? $"{words[0].ToLowerInvariant()} {words[1]}" : header.ToLowerInvariant();
        if (document.Find(header) is { } earlier)
            throw new ConfigException(origin,
                $"section [{Shorten(header)}] appears twice (first at line {LineOf(earlier.Origin)})");
        return new IniSection(header, origin);
    }

    private static string LineOf(string origin) => origin[(origin.LastIndexOf(':') + 1)..];

    /// <summary>
    /// User text as shown in a message: at most 40 characters, with control and format characters (NUL, line
    /// separators, bidi controls) written as <c>\uXXXX</c> so the message stays one readable line.
    /// </summary>
    internal static string Shorten(string text)
    {
        var shown = text.Length <= 40 ? text : text[..40] + "…";
        if (!shown.Any(IsHidden))
            return shown;
        var builder = new System.Text.StringBuilder(shown.Length + 16);
        foreach (var c in shown)
        {
            if (IsHidden(c))
                builder.Append($"\\u{(int)c:X4}");
            else
                builder.Append(c);
        }
        return builder.ToString();
    }

    private static bool IsHidden(char c) =>
        char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
            or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator;
}
