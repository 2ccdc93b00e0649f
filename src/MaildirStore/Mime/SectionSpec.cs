namespace ImapProxy.Store.Mime;

/// <summary>What a section text names after its part number (RFC 3501 §6.4.5).</summary>
public enum SectionKind
{
    /// <summary>BODY[] / RFC822: the whole message, or with a part number the part's body (BODY[1.2]).</summary>
    Body,

    /// <summary>HEADER: the header of the message (or of the message/rfc822 part), blank line included.</summary>
    Header,

    /// <summary>HEADER.FIELDS (…): only the named fields, then a blank line.</summary>
    HeaderFields,

    /// <summary>HEADER.FIELDS.NOT (…): all but the named fields.</summary>
    HeaderFieldsNot,

    /// <summary>TEXT: the body of the message (or of the message/rfc822 part).</summary>
    Text,

    /// <summary>MIME: the MIME header of the part (needs a part number).</summary>
    Mime,
}

/// <summary>A parsed section: part number, what of it, and the field names for HEADER.FIELDS[.NOT].</summary>
public sealed record SectionSpec(IReadOnlyList<int> Part, SectionKind Kind, IReadOnlyList<string>? Fields = null)
{
    /// <summary>BODY[] — the whole message.</summary>
    public static SectionSpec Full { get; } = new([], SectionKind.Body);

    /// <summary>
    /// Parses the text between the brackets, e.g. <c>1.2.HEADER.FIELDS (FROM TO)</c>, <c>TEXT</c>, <c>3</c>, <c></c>.
    /// Field names may be atoms or quoted strings; they compare case-insensitively.
    /// </summary>
    public static bool TryParse(string text, out SectionSpec spec)
    {
        spec = Full;
        var part = new List<int>();
        int pos = 0;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
        {
            int start = pos;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]))
            {
                pos++;
            }
            if (!int.TryParse(text.AsSpan(start, pos - start), out int n) || n == 0)
            {
                return false;
            }
            part.Add(n);
            if (pos < text.Length && text[pos] == '.')
            {
                pos++;
                if (pos == text.Length)
                {
                    return false;
                }
            }
            else
            {
                break;
            }
        }
        string rest = text[pos..];
        string upper = rest.ToUpperInvariant();
        if (rest.Length == 0)
        {
            spec = new SectionSpec(part, SectionKind.Body);
            return true;
        }
        if (part.Count > 0 && text[pos - 1] != '.')
        {
            return false;
        }
        SectionKind? kind = upper switch
        {
            "HEADER" => SectionKind.Header,
            "TEXT" => SectionKind.Text,
            "MIME" when part.Count > 0 => SectionKind.Mime,
            _ => null,
        };
        if (kind is not null)
        {
            spec = new SectionSpec(part, kind.Value);
            return true;
        }
        bool not = upper.StartsWith("HEADER.FIELDS.NOT", StringComparison.Ordinal);
        if (!not && !upper.StartsWith("HEADER.FIELDS", StringComparison.Ordinal))
        {
            return false;
        }
        var fields = ParseFieldList(rest[(not ? 17 : 13)..]);
        if (fields is null)
        {
            return false;
        }
        spec = new SectionSpec(part, not ? SectionKind.HeaderFieldsNot : SectionKind.HeaderFields, fields);
        return true;
    }

    /// <summary>header-list = "(" header-fld-name *(SP header-fld-name) ")"</summary>
    private static List<string>? ParseFieldList(string text)
    {
        text = text.Trim();
        if (text.Length < 2 || text[0] != '(' || text[^1] != ')')
        {
            return null;
        }
        var fields = new List<string>();
        string inner = text[1..^1];
        int i = 0;
        while (i < inner.Length)
        {
            if (inner[i] == ' ')
            {
                i++;
                continue;
            }
            var name = new System.Text.StringBuilder();
            if (inner[i] == '"')
            {
                for (i++; i < inner.Length && inner[i] != '"'; i++)
                {
                    if (inner[i] == '\\' && i + 1 < inner.Length)
                    {
                        i++;
                    }
                    name.Append(inner[i]);
                }
                i++;
            }
            else
            {
                while (i < inner.Length && inner[i] != ' ')
                {
                    name.Append(inner[i++]);
                }
            }
            fields.Add(name.ToString());
        }
        return fields.Count > 0 ? fields : null;
    }
}
