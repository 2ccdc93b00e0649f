using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>
/// Writes IMAP nstrings the way Dovecot 2.3 does, so our FETCH output matches it byte for byte:
/// a quoted string unless the value has CR, LF, an 8-bit byte or more than four quoted-specials, then a literal.
/// Text is Latin-1 (one char per byte), so 8-bit header bytes pass through unchanged.
/// </summary>
internal static class ImapWire
{
    private const int MaxQuotedEscapes = 4;

    /// <summary>Appends NIL, a quoted string or a literal.</summary>
    public static StringBuilder AppendNString(this StringBuilder sb, string? value)
    {
        if (value is null)
        {
            return sb.Append("NIL");
        }
        int nul = value.IndexOf('\0');
        if (nul >= 0)
        {
            value = value[..nul];
        }
        int escapes = 0;
        foreach (char c in value)
        {
            bool literal = c switch
            {
                '"' or '\\' => ++escapes > MaxQuotedEscapes,
                '\r' or '\n' => true,
                _ => c >= 0x80,
            };
            if (literal)
            {
                return sb.Append('{').Append(value.Length).Append("}\r\n").Append(value);
            }
        }
        sb.Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.Append('"');
    }

    /// <summary>
    /// Like <see cref="AppendNString"/> after dropping CR and LF; a line break not followed by whitespace
    /// becomes one space so that words on both sides stay apart.
    /// </summary>
    public static StringBuilder AppendNStringNoLf(this StringBuilder sb, string? value)
    {
        if (value is null || value.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            return sb.AppendNString(value);
        }
        var clean = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c is not ('\r' or '\n'))
            {
                clean.Append(c);
            }
            else if (i + 1 < value.Length && value[i + 1] is not (' ' or '\t' or '\r' or '\n' or '\0'))
            {
                clean.Append(' ');
            }
        }
        return sb.AppendNString(clean.ToString());
    }

    /// <summary>The wire text as bytes (each char is one byte), encoded from the builder's chunks without a string between.</summary>
    public static byte[] ToWireBytes(this StringBuilder sb)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(sb.Length);
        int at = 0;
        foreach (var chunk in sb.GetChunks())
        {
            at += HeaderField.Latin1.GetBytes(chunk.Span, bytes.AsSpan(at));
        }
        return bytes;
    }
}

/// <summary>A reusable builder per thread for wire text (ENVELOPE, BODYSTRUCTURE) that is turned into bytes at once.</summary>
internal static class WireText
{
    /// <summary>A builder grown past this (a huge header) is dropped rather than kept for the thread's lifetime.</summary>
    private const int MaxKeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static StringBuilder? cached;

    /// <summary>An empty builder; give it back with <see cref="Return"/> once its text is copied out.</summary>
    public static StringBuilder Rent()
    {
        var sb = cached ?? new StringBuilder(1024);
        cached = null;
        return sb.Clear();
    }

    /// <summary>Keeps <paramref name="sb"/> for the thread's next <see cref="Rent"/> unless it grew too large.</summary>
    public static void Return(StringBuilder sb)
    {
        if (sb.Capacity <= MaxKeptCapacity)
        {
            cached = sb;
        }
    }
}

/// <summary>Display text (subjects, display names) written the way Dovecot 2.3 does for readability.</summary>
internal static class ImapWireForHumans
{
    /// <summary>
    /// Quoted as is when the text is clean; otherwise a literal in which runs of whitespace (incl. CR, LF, TAB)
    /// are one space, leading and trailing whitespace is gone and NUL becomes byte 0x80; "" when only whitespace.
    /// </summary>
    public static StringBuilder AppendStringForHumans(this StringBuilder sb, string value)
    {
        if (IsClean(value))
        {
            return sb.Append('"').Append(value).Append('"');
        }
        var clean = new StringBuilder(value.Length);
        bool lastSpace = true;
        foreach (char c in value)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (!lastSpace)
                {
                    clean.Append(' ');
                }
                lastSpace = true;
                continue;
            }
            clean.Append(c == '\0' ? '\u0080' : c);
            lastSpace = false;
        }
        if (clean.Length > 0 && clean[^1] == ' ')
        {
            clean.Length--;
        }
        if (clean.Length == 0)
        {
            return sb.Append("\"\"");
        }
        return sb.Append('{').Append(clean.Length).Append("}\r\n").Append(clean);
    }

    private static bool IsClean(string value)
    {
        bool lastSpace = true;
        foreach (char c in value)
        {
            if (c is '\0' or '\r' or '\n' or '\t' or '"' or '\\' || c >= 0x80 || (c == ' ' && lastSpace))
            {
                return false;
            }
            lastSpace = c == ' ';
        }
        return !lastSpace || value.Length == 0;
    }
}
