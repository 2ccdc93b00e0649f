using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>
/// MIME parameters (RFC 2045 §5.1) with RFC 2231 continuations joined. Follows Dovecot 2.3 so BODYSTRUCTURE
/// matches: plain parameters first in their order, then the RFC 2231 ones sorted by name; a complete
/// continuation set becomes one <c>name</c> (or <c>name*</c> with its <c>charset'lang'%XX</c> value when any
/// piece was extended); an incomplete set is reported piece by piece. <see cref="DecodeExtendedValue"/> decodes.
/// </summary>
internal static class Rfc2231Parameters
{
    private readonly record struct Piece(string Key, int Index, bool Extended, string Value);

    public static List<KeyValuePair<string, string>> Parse(Rfc822Scanner s)
    {
        var result = new List<KeyValuePair<string, string>>();
        var pieces = new List<Piece>();
        var value = new StringBuilder();
        int lastIndex = 0;
        while (true)
        {
            int ret = ParseContentParameter(s, out var key, value);
            if (ret == 0)
            {
                break;
            }
            if (ret < 0)
            {
                // Broken parameter: step one char on and look for the next ";".
                if (s.AtEnd)
                {
                    break;
                }
                s.Pos++;
                continue;
            }
            int star = key!.IndexOf('*');
            if (star < 0 || !TryParseSection(key, star, ref lastIndex, out bool extended))
            {
                result.Add(new(key, value.ToString()));
                continue;
            }
            pieces.Add(new Piece(key[..star], lastIndex, extended, value.ToString()));
        }
        if (pieces.Count > 0)
        {
            AppendJoined(result, pieces);
        }
        return result;
    }

    /// <summary>After the first '*': optional digits, optional '*', then the end of the name.</summary>
    private static bool TryParseSection(string key, int star, ref int index, out bool extended)
    {
        int p = star;
        if (p + 1 < key.Length)
        {
            p++;
            index = 0;
            while (p < key.Length && char.IsAsciiDigit(key[p]))
            {
                index = index * 10 + (key[p] - '0');
                p++;
            }
        }
        extended = p < key.Length && key[p] == '*';
        if (extended)
        {
            p++;
        }
        return p >= key.Length;
    }

    private static void AppendJoined(List<KeyValuePair<string, string>> result, List<Piece> pieces)
    {
        var sorted = pieces.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Index).ToList();
        for (int i = 0; i < sorted.Count;)
        {
            int next = i;
            bool complete = true, anyExtended = false;
            int expected = 0;
            while (next < sorted.Count && string.Equals(sorted[next].Key, sorted[i].Key, StringComparison.OrdinalIgnoreCase))
            {
                complete &= sorted[next].Index == expected++;
                anyExtended |= sorted[next].Extended;
                next++;
            }
            if (!complete)
            {
                for (int j = i; j < next; j++)
                {
                    var p = sorted[j];
                    result.Add(new($"{p.Key}*{p.Index}{(p.Extended ? "*" : "")}", p.Value));
                }
            }
            else
            {
                var joined = new StringBuilder();
                if (anyExtended && !sorted[i].Extended)
                {
                    joined.Append("''");
                }
                for (int j = i; j < next; j++)
                {
                    joined.Append(anyExtended && !sorted[j].Extended ? sorted[j].Value.Replace("%", "%25") : sorted[j].Value);
                }
                result.Add(new(anyExtended ? sorted[i].Key + "*" : sorted[i].Key, joined.ToString()));
            }
            i = next;
        }
    }

    /// <summary>parameter := ";" attribute "=" value; returns 0 at the end, -1 when broken, 1 for a parameter.</summary>
    private static int ParseContentParameter(Rfc822Scanner s, out string? key, StringBuilder value)
    {
        key = null;
        value.Clear();
        if (s.AtEnd)
        {
            return 0;
        }
        if (s.Cur != ';')
        {
            return -1;
        }
        s.Pos++;
        if (s.SkipLwsp() <= 0)
        {
            return -1;
        }
        var keyText = new StringBuilder();
        if (s.ParseMimeToken(keyText) <= 0 || s.Cur != '=')
        {
            return -1;
        }
        s.Pos++;
        int ret = s.SkipLwsp();
        if (ret <= 0)
        {
            // "name=" at the very end: an empty value.
        }
        else if (s.Cur == '"')
        {
            ret = s.ParseQuotedString(value);
        }
        else if (s.Cur == '=')
        {
            // An encoded-word used as a value (against RFC 2047 §5, common anyway): take it up to ';' or space.
            while (!s.AtEnd && s.Cur is not (';' or ' ' or '\t' or '\r' or '\n'))
            {
                value.Append(s.Cur);
                s.Pos++;
            }
        }
        else
        {
            ret = s.ParseMimeToken(value);
        }
        key = keyText.ToString();
        return ret < 0 ? -1 : 1;
    }

    /// <summary>Decodes an RFC 2231 extended value <c>charset'lang'%XX…</c>; undecodable input comes back as is.</summary>
    public static string DecodeExtendedValue(string value)
    {
        int first = value.IndexOf('\'');
        int second = first < 0 ? -1 : value.IndexOf('\'', first + 1);
        if (second < 0)
        {
            return value;
        }
        var bytes = new List<byte>();
        for (int i = second + 1; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && char.IsAsciiHexDigit(value[i + 1]) && char.IsAsciiHexDigit(value[i + 2]))
            {
                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)value[i]);
            }
        }
        return Charsets.Decode(bytes.ToArray(), value[..first]);
    }
}
