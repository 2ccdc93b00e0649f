using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>
/// Reads the Content-* fields of a part's header (RFC 2045, 2183, 3282, 2557, 1864); the first of each wins.
/// Broken values are kept as far as they parse, with Dovecot 2.3's choices, so BODYSTRUCTURE matches it.
/// </summary>
internal static class ContentFieldParser
{
    public static ContentFields Parse(IReadOnlyList<HeaderField> fields)
    {
        var result = new ContentFields();
        foreach (var field in fields)
        {
            if (field.Name.Length < 8 || !field.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            string value = field.UnfoldedValue;
            switch (field.Name[8..].ToLowerInvariant())
            {
                case "type" when result.Type is null:
                    ParseContentType(value, result);
                    break;
                case "transfer-encoding" when result.TransferEncoding is null:
                    result.TransferEncoding = ParseTransferEncoding(value);
                    break;
                case "disposition" when result.DispositionParameters.Count == 0:
                    ParseDisposition(value, result);
                    break;
                case "id":
                    result.Id ??= value;
                    break;
                case "description":
                    result.Description ??= value;
                    break;
                case "md5":
                    result.Md5 ??= value;
                    break;
                case "location":
                    result.Location ??= value;
                    break;
                case "language" when result.Languages is null:
                    result.Languages = ParseLanguages(value);
                    break;
            }
        }
        return result;
    }

    /// <summary>
    /// content := type "/" subtype *(";" parameter). Anything but ";" after the subtype makes the whole value
    /// invalid; an invalid value still yields whatever type text was read (possibly empty) and no parameters.
    /// </summary>
    private static void ParseContentType(string value, ContentFields result)
    {
        var s = new Rfc822Scanner(value);
        var str = new StringBuilder();
        bool ok = TryParseTypeSlashSubtype(s, str);
        string text = str.ToString();
        int slash = text.IndexOf('/');
        result.Type = slash < 0 ? text : text[..slash];
        result.Subtype = slash < 0 ? "" : text[(slash + 1)..];
        if (ok)
        {
            result.Parameters = Rfc2231Parameters.Parse(s);
        }
    }

    private static bool TryParseTypeSlashSubtype(Rfc822Scanner s, StringBuilder str)
    {
        if (s.SkipLwsp() <= 0)
        {
            return false;
        }
        if (s.ParseMimeToken(str) <= 0 || str.Length == 0)
        {
            return false;
        }
        if (s.Cur != '/')
        {
            str.Clear();
            return false;
        }
        s.Pos++;
        if (s.SkipLwsp() <= 0)
        {
            str.Clear();
            return false;
        }
        str.Append('/');
        int before = str.Length;
        int ret = s.ParseMimeToken(str);
        if (ret < 0 || str.Length == before || (!s.AtEnd && s.Cur != ';'))
        {
            str.Clear();
            return false;
        }
        return true;
    }

    private static string? ParseTransferEncoding(string value)
    {
        var s = new Rfc822Scanner(value);
        s.SkipLwsp();
        var str = new StringBuilder();
        if (s.ParseMimeToken(str) >= 0 && s.SkipLwsp() == 0 && str.Length > 0)
        {
            return str.ToString();
        }
        return null;
    }

    private static void ParseDisposition(string value, ContentFields result)
    {
        var s = new Rfc822Scanner(value);
        s.SkipLwsp();
        var str = new StringBuilder();
        if (s.ParseMimeToken(str) < 0)
        {
            return;
        }
        result.Disposition = str.ToString();
        result.DispositionParameters = Rfc2231Parameters.Parse(s);
    }

    private static List<string>? ParseLanguages(string value)
    {
        var s = new Rfc822Scanner(value);
        var tags = new List<string>();
        var str = new StringBuilder();
        s.SkipLwsp();
        while (s.ParseAtom(str) >= 0)
        {
            tags.Add(str.ToString());
            str.Clear();
            if (s.AtEnd || s.Cur != ',')
            {
                break;
            }
            s.Pos++;
            s.SkipLwsp();
        }
        return tags.Count > 0 ? tags : null;
    }
}
