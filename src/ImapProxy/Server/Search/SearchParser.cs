using ImapProxy.Protocol;
using ImapProxy.Store;

namespace ImapProxy.Server.Search;

/// <summary>Builds a <see cref="SearchKey"/> tree from SEARCH's generic arguments (RFC 3501 §6.4.4, RFC 7162 MODSEQ).</summary>
internal sealed class SearchParser
{
    private const int MaxDepth = 32;
    private readonly IReadOnlyList<ImapValue> _values;
    private readonly SelectedMailbox _mailbox;
    private int _next;
    private int _depth;

    private SearchParser(IReadOnlyList<ImapValue> values, SelectedMailbox mailbox)
    {
        _values = values;
        _mailbox = mailbox;
    }

    /// <summary>True when the program uses MODSEQ (the response then carries the highest MODSEQ found).</summary>
    public bool UsesModSeq { get; private set; }

    public static (SearchKey Key, bool UsesModSeq) Parse(IReadOnlyList<ImapValue> values, SelectedMailbox mailbox)
    {
        if (values.Count == 0)
        {
            throw new CommandSyntaxException("SEARCH needs at least one search key");
        }
        var parser = new SearchParser(values, mailbox);
        var keys = new List<SearchKey>();
        while (parser._next < values.Count)
        {
            keys.Add(parser.ReadKey());
        }
        return (keys.Count == 1 ? keys[0] : new AndKey(keys), parser.UsesModSeq);
    }

    private ImapValue Next(string what) =>
        _next < _values.Count ? _values[_next++] : throw new CommandSyntaxException($"SEARCH key is missing its {what}");

    private string String(string what)
    {
        var value = Next(what);
        return value.IsAstring ? value.AsString()! : throw new CommandSyntaxException($"SEARCH expected a string for {what}");
    }

    private ulong Number(string what) =>
        Next(what).TryGetNumber(out var n) ? n : throw new CommandSyntaxException($"SEARCH expected a number for {what}");

    private DateOnly Date()
    {
        var value = Next("date");
        return value.IsAstring && ImapDate.TryParseDate(value.Bytes.Span, out var date)
            ? date
            : throw new CommandSyntaxException($"Invalid SEARCH date {ImapSession.Printable(value.ToString())}");
    }

    private SearchKey ReadKey()
    {
        if (++_depth > MaxDepth)
        {
            throw new CommandSyntaxException($"SEARCH nested deeper than {MaxDepth}");
        }
        try
        {
            var value = Next("key");
            if (value.IsList)
            {
                if (value.Items.Count == 0)
                {
                    throw new CommandSyntaxException("Empty parenthesized SEARCH key");
                }
                var inner = new SearchParser(value.Items, _mailbox) { _depth = _depth };
                var keys = new List<SearchKey>();
                while (inner._next < value.Items.Count)
                {
                    keys.Add(inner.ReadKey());
                }
                UsesModSeq |= inner.UsesModSeq;
                return new AndKey(keys);
            }
            if (value.Kind != ImapValueKind.Atom)
            {
                throw new CommandSyntaxException($"Unknown SEARCH key {ImapSession.Printable(value.ToString())}");
            }
            var atom = value.AsString()!;
            if (atom.Length > 0 && (char.IsAsciiDigit(atom[0]) || atom[0] == '*'))
            {
                var set = SequenceSets.Parse(atom);
                uint count = (uint)_mailbox.Count;
                return new IndexKey(m => set.Contains((uint)m.SequenceNumber, count));
            }
            return ReadNamedKey(atom.ToUpperInvariant());
        }
        finally
        {
            _depth--;
        }
    }

    private SearchKey ReadNamedKey(string name)
    {
        switch (name)
        {
            case "ALL": return new AllKey();
            case "ANSWERED": return Flag(MessageFlags.Answered, true);
            case "UNANSWERED": return Flag(MessageFlags.Answered, false);
            case "DELETED": return Flag(MessageFlags.Deleted, true);
            case "UNDELETED": return Flag(MessageFlags.Deleted, false);
            case "DRAFT": return Flag(MessageFlags.Draft, true);
            case "UNDRAFT": return Flag(MessageFlags.Draft, false);
            case "FLAGGED": return Flag(MessageFlags.Flagged, true);
            case "UNFLAGGED": return Flag(MessageFlags.Flagged, false);
            case "SEEN": return Flag(MessageFlags.Seen, true);
            case "UNSEEN": return Flag(MessageFlags.Seen, false);
            case "RECENT": return new IndexKey(m => m.Recent);
            case "OLD": return new IndexKey(m => !m.Recent);
            case "NEW": return new IndexKey(m => m.Recent && (m.Info.Flags & MessageFlags.Seen) == 0);
            case "KEYWORD":
            {
                var keyword = String("keyword");
                return new IndexKey(m => m.Info.Keywords.Contains(keyword, StringComparer.OrdinalIgnoreCase));
            }
            case "UNKEYWORD":
            {
                var keyword = String("keyword");
                return new IndexKey(m => !m.Info.Keywords.Contains(keyword, StringComparer.OrdinalIgnoreCase));
            }
            case "LARGER":
            {
                var size = Number("size");
                return new IndexKey(m => (ulong)m.Info.Size > size);
            }
            case "SMALLER":
            {
                var size = Number("size");
                return new IndexKey(m => (ulong)m.Info.Size < size);
            }
            case "BEFORE": { var d = Date(); return new IndexKey(m => InternalDay(m) < d); }
            case "ON": { var d = Date(); return new IndexKey(m => InternalDay(m) == d); }
            case "SINCE": { var d = Date(); return new IndexKey(m => InternalDay(m) >= d); }
            case "SENTBEFORE": { var d = Date(); return new ContentKey(m => SentDay(m) is { } s && s < d); }
            case "SENTON": { var d = Date(); return new ContentKey(m => SentDay(m) is { } s && s == d); }
            case "SENTSINCE": { var d = Date(); return new ContentKey(m => SentDay(m) is { } s && s >= d); }
            case "FROM": case "TO": case "CC": case "BCC": case "SUBJECT":
            {
                var field = name == "SUBJECT" ? "Subject" : name;
                var needle = String("string");
                return new ContentKey(m => m.HeaderValues(field).Any(v => SearchMessage.Contains(v, needle)));
            }
            case "HEADER":
            {
                var field = String("header field name");
                var needle = String("string");
                return new ContentKey(m => m.HeaderValues(field).Any(v => needle.Length == 0 || SearchMessage.Contains(v, needle)));
            }
            case "BODY":
            {
                var needle = String("string");
                return new ContentKey(m => SearchMessage.Contains(m.BodyText, needle));
            }
            case "TEXT":
            {
                var needle = String("string");
                return new ContentKey(m => SearchMessage.Contains(m.HeaderText, needle) || SearchMessage.Contains(m.BodyText, needle));
            }
            case "UID":
            {
                var set = SequenceSets.Parse(Next("UID set").AsString() ?? "");
                uint last = _mailbox.LastUid;
                return new IndexKey(m => set.Contains(m.Info.Uid, last));
            }
            case "NOT": return new NotKey(ReadKey());
            case "OR":
            {
                var left = ReadKey();
                return new OrKey(left, ReadKey());
            }
            case "MODSEQ":
            {
                UsesModSeq = true;
                // RFC 7162 §3.1.5: optional entry name and type before the number; per-flag MODSEQs are not kept, so they are ignored.
                if (_next < _values.Count && _values[_next].IsString)
                {
                    _next += 2;
                }
                var modSeq = Number("mod-sequence");
                return new IndexKey(m => m.Info.ModSeq >= modSeq);
            }
            default:
                throw new CommandSyntaxException($"Unknown SEARCH key {ImapSession.Printable(name)}");
        }
    }

    private static IndexKey Flag(MessageFlags flag, bool set) => new(m => ((m.Info.Flags & flag) != 0) == set);

    /// <summary>RFC 3501: dates compare "disregarding time and timezone"; the day is taken in the date's own zone.</summary>
    private static DateOnly InternalDay(SearchMessage m) => DateOnly.FromDateTime(m.Info.InternalDate.DateTime);

    private static DateOnly? SentDay(SearchMessage m) => m.SentDate is { } d ? DateOnly.FromDateTime(d.DateTime) : null;
}
