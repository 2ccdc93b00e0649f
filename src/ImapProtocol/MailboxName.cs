using System.Text;

namespace ImapProxy.Protocol;

/// <summary>
/// Mailbox names on the wire: modified UTF-7 (RFC 3501 §5.1.3) both ways, strict on input (anything that would
/// not encode back to the same bytes is rejected), and the case-insensitive INBOX.
/// </summary>
public static class MailboxName
{
    /// <summary>The special mailbox name, case-insensitive on the wire.</summary>
    public const string Inbox = "INBOX";

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    /// <summary>True when <paramref name="name"/> is INBOX in any case.</summary>
    public static bool IsInbox(string name) => string.Equals(name, Inbox, StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns "INBOX" for any case of it, else the name unchanged.</summary>
    public static string NormalizeInbox(string name) => IsInbox(name) ? Inbox : name;

    /// <summary>Encodes a Unicode mailbox name in modified UTF-7.</summary>
    public static string EncodeUtf7(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        var i = 0;
        while (i < name.Length)
        {
            var c = name[i];
            if (c >= 0x20 && c <= 0x7e)
            {
                sb.Append(c);
                if (c == '&') sb.Append('-');
                i++;
                continue;
            }
            var start = i;
            while (i < name.Length && (name[i] < 0x20 || name[i] > 0x7e)) i++;
            sb.Append('&');
            AppendBase64(sb, name.AsSpan(start, i - start));
            sb.Append('-');
        }
        return sb.ToString();
    }

    private static void AppendBase64(StringBuilder sb, ReadOnlySpan<char> units)
    {
        int bits = 0, buffer = 0;
        foreach (var u in units)
        {
            buffer = (buffer << 16) | u;
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

    /// <summary>Decodes a modified UTF-7 mailbox name, rejecting bad base64, an unterminated "&amp;", 8-bit or
    /// control bytes, lone surrogates, and any form that does not round-trip (e.g. "&amp;AGE-" for "a", or two
    /// adjacent encoded runs).</summary>
    public static bool TryDecodeUtf7(ReadOnlySpan<byte> encoded, out string? name, out string? error)
    {
        name = null;
        var sb = new StringBuilder(encoded.Length);
        var i = 0;
        while (i < encoded.Length)
        {
            var b = encoded[i];
            if (b < 0x20 || b > 0x7e) { error = $"byte 0x{b:X2} is not allowed in a modified UTF-7 mailbox name"; return false; }
            if (b != '&') { sb.Append((char)b); i++; continue; }
            var end = encoded[(i + 1)..].IndexOf((byte)'-');
            if (end < 0) { error = "unterminated '&' in mailbox name"; return false; }
            var run = encoded.Slice(i + 1, end);
            if (run.IsEmpty) sb.Append('&');
            else if (!TryDecodeRun(run, sb, out error)) return false;
            i += end + 2;
        }
        var decoded = sb.ToString();
        if (!IsWellFormedUtf16(decoded)) { error = "unpaired surrogate in mailbox name"; return false; }
        if (!Ascii.Equals(encoded, EncodeUtf7(decoded))) { error = "mailbox name is not in canonical modified UTF-7"; return false; }
        name = decoded;
        error = null;
        return true;
    }

    /// <summary>Decodes a modified UTF-7 mailbox name given as text.</summary>
    public static bool TryDecodeUtf7(string encoded, out string? name, out string? error)
    {
        foreach (var c in encoded)
        {
            if (c > 0x7e) { name = null; error = "non-ASCII character in a modified UTF-7 mailbox name"; return false; }
        }
        return TryDecodeUtf7(Encoding.ASCII.GetBytes(encoded), out name, out error);
    }

    private static bool TryDecodeRun(ReadOnlySpan<byte> run, StringBuilder sb, out string? error)
    {
        int bits = 0, buffer = 0;
        foreach (var c in run)
        {
            var v = Alphabet.IndexOf((char)c);
            if (v < 0) { error = $"'{(char)c}' is not modified base64"; return false; }
            buffer = (buffer << 6) | v;
            bits += 6;
            if (bits >= 16)
            {
                bits -= 16;
                sb.Append((char)((buffer >> bits) & 0xffff));
                buffer &= (1 << bits) - 1;
            }
        }
        if (bits >= 6 || buffer != 0) { error = "modified base64 run has leftover bits"; return false; }
        error = null;
        return true;
    }

    private static bool IsWellFormedUtf16(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(s[i])) return false;
        }
        return true;
    }
}
