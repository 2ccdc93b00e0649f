using System.Text;

namespace ImapProxy.Server.Sort;

/// <summary>Reads msg-id lists (RFC 5322 §3.6.4) out of Message-ID, References and In-Reply-To fields.</summary>
internal static class MessageIds
{
    /// <summary>
    /// The valid msg-ids in the text, without their angle brackets, in order. Comments, whitespace and quotes
    /// inside the brackets are dropped (so <c>&lt;"a b"@c&gt;</c> is <c>a b@c</c>); an id without "@" is not
    /// valid; text between ids (phrases of old In-Reply-To fields) is skipped.
    /// </summary>
    public static List<string> Parse(string? text)
    {
        var ids = new List<string>();
        if (text is null)
        {
            return ids;
        }
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('<', i);
            if (open < 0)
            {
                break;
            }
            if (TryReadId(text, open + 1, out var id, out var end))
            {
                ids.Add(id);
            }
            i = end;
        }
        return ids;
    }

    /// <summary>The first valid msg-id in the text, or null.</summary>
    public static string? First(string? text) => Parse(text) is [var first, ..] ? first : null;

    private static bool TryReadId(string text, int start, out string id, out int end)
    {
        var result = new StringBuilder();
        var depth = 0;
        var quoted = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < text.Length)
                {
                    result.Append(text[++i]);
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    result.Append(c);
                }
                continue;
            }
            if (depth > 0)
            {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                continue;
            }
            switch (c)
            {
                case '>':
                    id = result.ToString();
                    end = i + 1;
                    var at = id.IndexOf('@');
                    return at > 0 && at < id.Length - 1;
                case '<':
                    // A second "<" before ">": the first was not an id; restart from here.
                    id = "";
                    end = i;
                    return false;
                case '"':
                    quoted = true;
                    break;
                case '(':
                    depth = 1;
                    break;
                case ' ' or '\t' or '\r' or '\n':
                    break;
                default:
                    result.Append(c);
                    break;
            }
        }
        id = "";
        end = text.Length;
        return false;
    }
}
