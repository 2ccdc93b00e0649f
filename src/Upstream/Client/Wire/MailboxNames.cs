using System.Text;

namespace ImapProxy.Upstream.Client.Wire;

/// <summary>Modified UTF-7 for mailbox names (RFC 3501 §5.1.3), used unless UTF8=ACCEPT is enabled.</summary>
internal static class MailboxNames
{
    /// <summary>Encodes a name; ASCII stays as is, "&amp;" becomes "&amp;-".</summary>
    public static string Encode(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        var i = 0;
        while (i < name.Length)
        {
            var c = name[i];
            if (c is >= (char)0x20 and <= (char)0x7e)
            {
                sb.Append(c == '&' ? "&-" : c.ToString());
                i++;
                continue;
            }
            var start = i;
            while (i < name.Length && name[i] is < (char)0x20 or > (char)0x7e) i++;
            var utf16 = Encoding.BigEndianUnicode.GetBytes(name[start..i]);
            sb.Append('&').Append(Convert.ToBase64String(utf16).TrimEnd('=').Replace('/', ',')).Append('-');
        }
        return sb.ToString();
    }

    /// <summary>Decodes a name; anything that is not valid modified UTF-7 is returned unchanged.</summary>
    public static string Decode(string raw)
    {
        if (!raw.Contains('&')) return raw;
        var sb = new StringBuilder(raw.Length);
        var i = 0;
        while (i < raw.Length)
        {
            var c = raw[i];
            if (c != '&')
            {
                sb.Append(c);
                i++;
                continue;
            }
            var end = raw.IndexOf('-', i + 1);
            if (end < 0) return raw;
            if (end == i + 1) sb.Append('&');
            else
            {
                var b64 = raw[(i + 1)..end].Replace(',', '/');
                b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
                try
                {
                    var bytes = Convert.FromBase64String(b64);
                    if (bytes.Length % 2 != 0) return raw;
                    sb.Append(Encoding.BigEndianUnicode.GetString(bytes));
                }
                catch (FormatException)
                {
                    return raw;
                }
            }
            i = end + 1;
        }
        return sb.ToString();
    }
}
