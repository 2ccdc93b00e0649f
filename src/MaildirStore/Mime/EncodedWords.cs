using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>RFC 2047 encoded-word decoding of header text, for SEARCH and display.</summary>
public static class EncodedWords
{
    /// <summary>
    /// Decodes a raw header value (Latin-1 chars = bytes): unfolds it, decodes encoded-words
    /// (<c>=?charset?B|Q?text?=</c>, RFC 2231 language suffix allowed), drops whitespace between adjacent
    /// encoded-words (RFC 2047 §6.2), and reads 8-bit text outside encoded-words as UTF-8 when valid, else Latin-1.
    /// Malformed encoded-words stay as they are.
    /// </summary>
    public static string DecodeHeader(string rawValue)
    {
        string text = new HeaderField("", rawValue).UnfoldedValue;
        var result = new StringBuilder(text.Length);
        var pendingRaw = new StringBuilder();
        int pendingWhitespaceStart = -1;
        bool lastWasEncoded = false;
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '=' && i + 1 < text.Length && text[i + 1] == '?' && TryDecodeWord(text, i, out int end, out string decoded))
            {
                if (lastWasEncoded && pendingWhitespaceStart >= 0)
                {
                    // Whitespace between two encoded-words is not part of the text.
                    pendingRaw.Length = pendingWhitespaceStart;
                }
                FlushRaw(result, pendingRaw);
                result.Append(decoded);
                lastWasEncoded = true;
                pendingWhitespaceStart = -1;
                i = end;
                continue;
            }
            char c = text[i];
            if (c is ' ' or '\t')
            {
                if (pendingWhitespaceStart < 0)
                {
                    pendingWhitespaceStart = pendingRaw.Length;
                }
            }
            else
            {
                lastWasEncoded = false;
                pendingWhitespaceStart = -1;
            }
            pendingRaw.Append(c);
            i++;
        }
        FlushRaw(result, pendingRaw);
        return result.ToString();
    }

    private static void FlushRaw(StringBuilder result, StringBuilder raw)
    {
        if (raw.Length == 0)
        {
            return;
        }
        var bytes = HeaderField.Latin1.GetBytes(raw.ToString());
        result.Append(Charsets.DecodeUnlabelled(bytes));
        raw.Clear();
    }

    /// <summary>encoded-word = "=?" charset "?" encoding "?" encoded-text "?="</summary>
    private static bool TryDecodeWord(string text, int start, out int end, out string decoded)
    {
        end = start;
        decoded = "";
        int charsetEnd = text.IndexOf('?', start + 2);
        if (charsetEnd < 0 || charsetEnd + 2 >= text.Length || text[charsetEnd + 2] != '?')
        {
            return false;
        }
        char encoding = char.ToUpperInvariant(text[charsetEnd + 1]);
        if (encoding is not ('B' or 'Q'))
        {
            return false;
        }
        int textStart = charsetEnd + 3;
        int textEnd = text.IndexOf("?=", textStart, StringComparison.Ordinal);
        if (textEnd < 0)
        {
            return false;
        }
        string charset = text[(start + 2)..charsetEnd];
        string payload = text[textStart..textEnd];
        if (payload.Contains(' '))
        {
            return false;
        }
        byte[] bytes = encoding == 'B' ? TransferDecoding.DecodeBase64Lenient(payload) : DecodeQ(payload);
        decoded = Charsets.Decode(bytes, charset);
        end = textEnd + 2;
        return true;
    }

    /// <summary>The "Q" encoding: quoted-printable with "_" for space (RFC 2047 §4.2).</summary>
    private static byte[] DecodeQ(string payload)
    {
        var bytes = new List<byte>(payload.Length);
        for (int i = 0; i < payload.Length; i++)
        {
            char c = payload[i];
            if (c == '_')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '=' && i + 2 < payload.Length && char.IsAsciiHexDigit(payload[i + 1]) && char.IsAsciiHexDigit(payload[i + 2]))
            {
                bytes.Add(Convert.ToByte(payload.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }
        return bytes.ToArray();
    }
}
