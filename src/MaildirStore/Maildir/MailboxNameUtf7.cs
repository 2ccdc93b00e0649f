using System.Text;

namespace ImapProxy.Store.Maildir;

/// <summary>
/// Modified UTF-7 (RFC 3501 §5.1.3) for folder names on disk, as Dovecot stores them.
/// Private stand-in until the protocol library's codec is on main; decoding rejects anything that does not round-trip.
/// </summary>
internal static class MailboxNameUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    public static string Encode(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        int i = 0;
        while (i < name.Length)
        {
            char c = name[i];
            if (c >= 0x20 && c <= 0x7e)
            {
                sb.Append(c == '&' ? "&-" : c.ToString());
                i++;
                continue;
            }
            int start = i;
            while (i < name.Length && (name[i] < 0x20 || name[i] > 0x7e)) i++;
            sb.Append('&');
            AppendBase64(sb, name.AsSpan(start, i - start));
            sb.Append('-');
        }
        return sb.ToString();
    }

    public static bool TryDecode(string encoded, out string name)
    {
        name = "";
        var sb = new StringBuilder(encoded.Length);
        int i = 0;
        while (i < encoded.Length)
        {
            char c = encoded[i];
            if (c < 0x20 || c > 0x7e) return false;
            if (c != '&') { sb.Append(c); i++; continue; }
            int end = encoded.IndexOf('-', i + 1);
            if (end < 0) return false;
            if (end == i + 1) { sb.Append('&'); i = end + 1; continue; }
            if (!TryDecodeBase64(encoded.AsSpan(i + 1, end - i - 1), sb)) return false;
            i = end + 1;
        }
        name = sb.ToString();
        return Encode(name) == encoded; // canonical form only
    }

    private static void AppendBase64(StringBuilder sb, ReadOnlySpan<char> chars)
    {
        int bits = 0, buffer = 0;
        foreach (char ch in chars)
        {
            buffer = (buffer << 16) | ch;
            bits += 16;
            while (bits >= 6)
            {
                bits -= 6;
                sb.Append(Alphabet[(buffer >> bits) & 0x3f]);
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0) sb.Append(Alphabet[(buffer << (6 - bits)) & 0x3f]);
    }

    private static bool TryDecodeBase64(ReadOnlySpan<char> text, StringBuilder sb)
    {
        int bits = 0, buffer = 0, start = sb.Length;
        foreach (char ch in text)
        {
            int v = Alphabet.IndexOf(ch);
            if (v < 0) return false;
            buffer = (buffer << 6) | v;
            bits += 6;
            if (bits >= 16)
            {
                bits -= 16;
                char decoded = (char)((buffer >> bits) & 0xffff);
                if (decoded >= 0x20 && decoded <= 0x7e) return false; // must have been written directly
                sb.Append(decoded);
                buffer &= (1 << bits) - 1;
            }
        }
        if (buffer != 0 || sb.Length == start) return false;
        // Surrogates must pair up.
        for (int k = start; k < sb.Length; k++)
        {
            if (char.IsHighSurrogate(sb[k]) && (k + 1 >= sb.Length || !char.IsLowSurrogate(sb[k + 1]))) return false;
            if (char.IsLowSurrogate(sb[k]) && (k == start || !char.IsHighSurrogate(sb[k - 1]))) return false;
            if (char.IsHighSurrogate(sb[k])) k++;
        }
        return true;
    }
}
