using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>
/// The lenient RFC 5322 tokenizer behind address and MIME parameter parsing. Results follow Dovecot 2.3's
/// rfc822-parser conventions (our reference for FETCH parity): methods return -1 on a syntax error, 0 when the
/// input ended, 1 when more input follows; comments are skipped and the last one is remembered.
/// </summary>
internal sealed class Rfc822Scanner(string text)
{
    /// <summary>What a NUL byte becomes inside strings: U+FFFD as UTF-8 bytes, one char per byte.</summary>
    private const string NulReplacement = "\u00EF\u00BF\u00BD";

    public int Pos;

    public string Text => text;

    public bool AtEnd => Pos >= text.Length;

    /// <summary>Current char, or NUL past the end (callers check <see cref="AtEnd"/> where it matters).</summary>
    public char Cur => Pos < text.Length ? text[Pos] : '\0';

    /// <summary>Text of the most recently skipped comment, without its parentheses.</summary>
    public StringBuilder LastComment { get; } = new();

    /// <summary>RFC 5322 atext (8-bit bytes count as atext).</summary>
    public static bool IsAtext(char c) => c >= 0x80 || (c > ' ' && c < 0x7f && "()<>[]:;@\\,.\"".IndexOf(c) < 0);

    /// <summary>RFC 2045 token char: atext without the tspecials '/', '=', '?', plus '.'.</summary>
    public static bool IsMimeTokenChar(char c) => c == '.' || (IsAtext(c) && c is not ('/' or '=' or '?'));

    /// <summary>CFWS: whitespace, line breaks, comments.</summary>
    public int SkipLwsp()
    {
        while (Pos < text.Length)
        {
            char c = text[Pos];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                Pos++;
                continue;
            }
            if (c != '(')
            {
                break;
            }
            if (SkipComment() < 0)
            {
                return -1;
            }
        }
        return Pos < text.Length ? 1 : 0;
    }

    private int SkipComment()
    {
        LastComment.Clear();
        int level = 1;
        for (Pos++; Pos < text.Length; Pos++)
        {
            char c = text[Pos];
            switch (c)
            {
                case '(':
                    level++;
                    break;
                case ')':
                    if (--level == 0)
                    {
                        Pos++;
                        return Pos < text.Length ? 1 : 0;
                    }
                    break;
                case '\r':
                    if (Pos + 1 < text.Length && text[Pos + 1] == '\n')
                    {
                        continue;
                    }
                    break;
                case '\n':
                    continue;
                case '\\':
                    if (Pos + 1 >= text.Length)
                    {
                        return -1;
                    }
                    if (text[Pos + 1] is '\r' or '\n' or '\0')
                    {
                        break;
                    }
                    c = text[++Pos];
                    break;
                case '\0':
                    LastComment.Append(NulReplacement);
                    continue;
            }
            if (level >= 1)
            {
                LastComment.Append(c);
            }
        }
        return -1;
    }

    public int ParseAtom(StringBuilder sb)
    {
        if (AtEnd || !IsAtext(Cur))
        {
            return -1;
        }
        int start = Pos;
        while (Pos < text.Length && IsAtext(text[Pos]))
        {
            Pos++;
        }
        sb.Append(text, start, Pos - start);
        return AtEnd ? 0 : SkipLwsp();
    }

    /// <summary>dot-atom, with CFWS tolerated around the dots (obs-local-part / obs-domain).</summary>
    public int ParseDotAtom(StringBuilder sb)
    {
        if (AtEnd || !IsAtext(Cur))
        {
            return -1;
        }
        while (true)
        {
            int start = Pos;
            while (Pos < text.Length && IsAtext(text[Pos]))
            {
                Pos++;
            }
            if (start == Pos)
            {
                return -1;
            }
            sb.Append(text, start, Pos - start);
            if (AtEnd)
            {
                return 0;
            }
            int ret = SkipLwsp();
            if (ret <= 0)
            {
                return ret;
            }
            if (Cur != '.')
            {
                return 1;
            }
            Pos++;
            sb.Append('.');
            if (SkipLwsp() <= 0)
            {
                return -1;
            }
        }
    }

    /// <summary>
    /// A local-part with dots anywhere ("..a.", common in old Japanese mail): dots and atoms in any order up to
    /// "@". Returns 0 when the input ends after dots.
    /// </summary>
    public int ParseNonStrictDotAtom(StringBuilder sb)
    {
        int ret = -1;
        do
        {
            while (Cur == '.' && !AtEnd)
            {
                sb.Append('.');
                Pos++;
                if (AtEnd)
                {
                    return 0;
                }
                ret = 1;
            }
            if (Cur == '@')
            {
                break;
            }
            ret = ParseAtom(sb);
        }
        while (ret > 0 && Cur == '.');
        return ret;
    }

    public int ParseMimeToken(StringBuilder sb)
    {
        int start = Pos;
        while (Pos < text.Length && IsMimeTokenChar(text[Pos]))
        {
            Pos++;
        }
        sb.Append(text, start, Pos - start);
        return AtEnd ? 0 : SkipLwsp();
    }

    /// <summary>quoted-string without the quotes; folds removed, quoted-pairs resolved.</summary>
    public int ParseQuotedString(StringBuilder sb)
    {
        for (Pos++; Pos < text.Length; Pos++)
        {
            char c = text[Pos];
            switch (c)
            {
                case '"':
                    Pos++;
                    return SkipLwsp();
                case '\r' when Pos + 1 < text.Length && text[Pos + 1] == '\n':
                case '\n':
                    continue;
                case '\0':
                    sb.Append(NulReplacement);
                    continue;
                case '\\':
                    if (Pos + 1 >= text.Length)
                    {
                        return -1;
                    }
                    if (text[Pos + 1] is not ('\r' or '\n' or '\0'))
                    {
                        c = text[++Pos];
                    }
                    break;
            }
            sb.Append(c);
        }
        return -1;
    }

    private int ParseAtomOrDot(StringBuilder sb)
    {
        int start = Pos;
        while (Pos < text.Length && (IsAtext(text[Pos]) || text[Pos] == '.'))
        {
            Pos++;
        }
        sb.Append(text, start, Pos - start);
        return AtEnd ? 0 : SkipLwsp();
    }

    /// <summary>phrase = 1*word / obs-phrase; words joined by one space.</summary>
    public int ParsePhrase(StringBuilder sb)
    {
        if (AtEnd)
        {
            return 0;
        }
        if (Cur == '.')
        {
            return -1;
        }
        while (true)
        {
            int ret = Cur == '"' ? ParseQuotedString(sb) : ParseAtomOrDot(sb);
            if (ret <= 0)
            {
                return ret;
            }
            if (!IsAtext(Cur) && Cur != '"' && Cur != '.')
            {
                break;
            }
            sb.Append(' ');
        }
        return SkipLwsp();
    }

    private int ParseDomainLiteral(StringBuilder sb)
    {
        int start = Pos;
        for (Pos++; Pos < text.Length; Pos++)
        {
            char c = text[Pos];
            switch (c)
            {
                case '[':
                    return -1;
                case ']':
                    sb.Append(text, start, Pos - start + 1);
                    Pos++;
                    return SkipLwsp();
                case '\\':
                    if (Pos + 1 >= text.Length)
                    {
                        return -1;
                    }
                    break;
            }
        }
        return -1;
    }

    /// <summary>"@" domain, where domain is a dot-atom or a [domain-literal].</summary>
    public int ParseDomain(StringBuilder sb)
    {
        Pos++;
        if (SkipLwsp() <= 0)
        {
            return -1;
        }
        return Cur == '[' ? ParseDomainLiteral(sb) : ParseDotAtom(sb);
    }
}
