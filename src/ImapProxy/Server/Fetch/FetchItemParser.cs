using System.Text;
using ImapProxy.Protocol;

namespace ImapProxy.Server.Fetch;

/// <summary>
/// Reads FETCH's data items (RFC 3501 §6.4.5, "fetch-att") from the generic arguments, where the protocol
/// library keeps <c>BODY.PEEK[HEADER.FIELDS (A B)]&lt;0.100&gt;</c> as one token.
/// </summary>
internal static class FetchItemParser
{
    public static List<FetchItem> Parse(ImapValue value)
    {
        var items = new List<FetchItem>();
        if (value.IsList)
        {
            if (value.Items.Count == 0)
            {
                throw new CommandSyntaxException("Empty FETCH item list");
            }
            foreach (var item in value.Items)
            {
                items.Add(ParseAtt(Token(item)));
            }
            return items;
        }
        var text = Token(value);
        switch (text.ToUpperInvariant())
        {
            case "ALL":
                return [Simple(FetchKind.Flags, "FLAGS"), Simple(FetchKind.InternalDate, "INTERNALDATE"), Simple(FetchKind.Rfc822Size, "RFC822.SIZE"), Simple(FetchKind.Envelope, "ENVELOPE")];
            case "FAST":
                return [Simple(FetchKind.Flags, "FLAGS"), Simple(FetchKind.InternalDate, "INTERNALDATE"), Simple(FetchKind.Rfc822Size, "RFC822.SIZE")];
            case "FULL":
                return [Simple(FetchKind.Flags, "FLAGS"), Simple(FetchKind.InternalDate, "INTERNALDATE"), Simple(FetchKind.Rfc822Size, "RFC822.SIZE"), Simple(FetchKind.Envelope, "ENVELOPE"), Simple(FetchKind.Body, "BODY")];
            default:
                items.Add(ParseAtt(text));
                return items;
        }
    }

    private static string Token(ImapValue value) =>
        value.Kind == ImapValueKind.Atom ? Encoding.ASCII.GetString(value.Bytes.Span) : throw new CommandSyntaxException($"Invalid FETCH item {ImapSession.Printable(value.ToString())}");

    private static FetchItem Simple(FetchKind kind, string label) => new(kind, label);

    private static FetchItem ParseAtt(string token)
    {
        int bracket = token.IndexOf('[');
        var name = (bracket < 0 ? token : token[..bracket]).ToUpperInvariant();
        if (bracket < 0)
        {
            return name switch
            {
                "UID" => Simple(FetchKind.Uid, "UID"),
                "FLAGS" => Simple(FetchKind.Flags, "FLAGS"),
                "INTERNALDATE" => Simple(FetchKind.InternalDate, "INTERNALDATE"),
                "RFC822.SIZE" => Simple(FetchKind.Rfc822Size, "RFC822.SIZE"),
                "ENVELOPE" => Simple(FetchKind.Envelope, "ENVELOPE"),
                "BODYSTRUCTURE" => Simple(FetchKind.BodyStructure, "BODYSTRUCTURE"),
                "BODY" => Simple(FetchKind.Body, "BODY"),
                "MODSEQ" => Simple(FetchKind.ModSeq, "MODSEQ"),
                "RFC822" => new FetchItem(FetchKind.Section, "RFC822", SectionSpec.Whole, Peek: false),
                "RFC822.HEADER" => new FetchItem(FetchKind.Section, "RFC822.HEADER", new SectionSpec([], "HEADER", []), Peek: true),
                "RFC822.TEXT" => new FetchItem(FetchKind.Section, "RFC822.TEXT", new SectionSpec([], "TEXT", []), Peek: false),
                _ => throw new CommandSyntaxException($"Unknown FETCH item {ImapSession.Printable(token)}"),
            };
        }
        bool peek = name switch
        {
            "BODY" => false,
            "BODY.PEEK" => true,
            _ => throw new CommandSyntaxException($"Unknown FETCH item {ImapSession.Printable(token)}"),
        };
        int close = token.LastIndexOf(']');
        if (close < bracket)
        {
            throw new CommandSyntaxException("Missing ']' in FETCH section");
        }
        var section = ParseSection(token[(bracket + 1)..close]);
        long start = -1, length = -1;
        var rest = token[(close + 1)..];
        if (rest.Length > 0)
        {
            var dot = rest.IndexOf('.');
            if (rest[0] != '<' || rest[^1] != '>' || dot < 0
                || !long.TryParse(rest[1..dot], out start) || !long.TryParse(rest[(dot + 1)..^1], out length) || start < 0 || length <= 0)
            {
                throw new CommandSyntaxException($"Invalid partial {ImapSession.Printable(rest)}: expected <offset.length>");
            }
        }
        var label = "BODY[" + Label(section) + "]" + (start >= 0 ? $"<{start}>" : "");
        return new FetchItem(FetchKind.Section, label, section, peek, start, length);
    }

    /// <summary>The section as the response names it: keywords and field names upper case, as Dovecot 2.3 answers.</summary>
    private static string Label(SectionSpec section)
    {
        var path = string.Join('.', section.Part);
        var text = section.Fields.Length == 0 ? section.Text : $"{section.Text} ({string.Join(' ', section.Fields.Select(f => f.ToUpperInvariant()))})";
        return path.Length > 0 && text.Length > 0 ? path + "." + text : path + text;
    }

    /// <summary>section-spec: [part-number ["." section-text]] | section-msgtext.</summary>
    private static SectionSpec ParseSection(string spec)
    {
        var part = new List<int>();
        int i = 0;
        while (i < spec.Length && char.IsAsciiDigit(spec[i]))
        {
            int end = i;
            while (end < spec.Length && char.IsAsciiDigit(spec[end]))
            {
                end++;
            }
            if (!int.TryParse(spec[i..end], out var number) || number == 0 || part.Count >= 32)
            {
                throw new CommandSyntaxException("Invalid section part number");
            }
            part.Add(number);
            i = end;
            if (i < spec.Length)
            {
                if (spec[i] != '.')
                {
                    throw new CommandSyntaxException("Invalid section");
                }
                i++;
            }
        }
        var text = spec[i..];
        var upper = text.ToUpperInvariant();
        if (upper.Length == 0)
        {
            return new SectionSpec(part.ToArray(), "", []);
        }
        if (upper is "HEADER" or "TEXT" || (upper == "MIME" && part.Count > 0))
        {
            return new SectionSpec(part.ToArray(), upper, []);
        }
        foreach (var prefix in new[] { "HEADER.FIELDS.NOT", "HEADER.FIELDS" })
        {
            if (upper.StartsWith(prefix + " (", StringComparison.Ordinal) && upper.EndsWith(')'))
            {
                var fields = text[(prefix.Length + 2)..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(f => f.Trim('"')).ToArray();
                if (fields.Length == 0 || fields.Any(f => f.Length == 0 || f.Any(c => c <= ' ' || c >= 0x7f || c == ':')))
                {
                    throw new CommandSyntaxException("Invalid header field list");
                }
                return new SectionSpec(part.ToArray(), prefix, fields);
            }
        }
        throw new CommandSyntaxException($"Invalid section {ImapSession.Printable(spec)}");
    }
}
