using System.Buffers;

namespace ImapProxy.Protocol;

public ref partial struct ImapReader
{
    /// <summary>The SEARCH arguments after "SEARCH SP": [RETURN (…) SP] [CHARSET astring SP] search-key *(SP
    /// search-key). Stops before CRLF.</summary>
    public ParseStatus TryReadSearchProgram(out SearchProgram program)
    {
        program = null!;
        List<string>? returns = null;
        string? charset = null;
        var s = TryReadSearchWord(out var word);
        if (s != ParseStatus.Ok) return s;
        if (word == "RETURN")
        {
            returns = [];
            if ((s = TryReadSearchReturnOptions(returns)) != ParseStatus.Ok) return s;
            if ((s = TryReadSpace()) != ParseStatus.Ok) return s;
            if ((s = TryReadSearchWord(out word)) != ParseStatus.Ok) return s;
        }
        if (word == "CHARSET")
        {
            s = TryReadSpace();
            if (s == ParseStatus.Ok) s = TryReadAstring(out charset);
            if (s == ParseStatus.Ok) s = TryReadSpace();
            if (s != ParseStatus.Ok) return s;
        }
        var keys = new List<SearchKey>();
        while (true)
        {
            if ((s = TryReadSearchKey(out var key)) != ParseStatus.Ok) return s;
            keys.Add(key);
            if ((s = TryPeekEndOfLine(out var end)) != ParseStatus.Ok) return s;
            if (end) break;
            if ((s = TryReadSpace()) != ParseStatus.Ok) return s;
        }
        program = new SearchProgram { Return = returns, Charset = charset, Criteria = new SearchKey(SearchKeyKind.And) { Children = keys } };
        return ParseStatus.Ok;
    }

    /// <summary>Peeks the next word without consuming it when it is not RETURN or CHARSET.</summary>
    private ParseStatus TryReadSearchWord(out string word)
    {
        word = "";
        var start = _r.Consumed;
        if (!_r.TryPeek(out var b)) return NeedMore();
        if (b != 'R' && b != 'r' && b != 'C' && b != 'c') return ParseStatus.Ok;
        var s = TryReadAtom(out ReadOnlySequence<byte> atom);
        if (s != ParseStatus.Ok) return s;
        if (EqualsIgnoreCase(atom, "RETURN")) word = "RETURN";
        else if (EqualsIgnoreCase(atom, "CHARSET")) word = "CHARSET";
        else Restore(start);
        return ParseStatus.Ok;
    }

    private ParseStatus TryReadSearchReturnOptions(List<string> options)
    {
        var s = TryReadSpace();
        if (s != ParseStatus.Ok) return s;
        if ((s = TryReadList(out var list)) != ParseStatus.Ok) return s;
        foreach (var item in list.Items)
        {
            if (item.Kind != ImapValueKind.Atom) return Fail("bad RETURN option");
            options.Add(item.AsString()!.ToUpperInvariant());
        }
        return ParseStatus.Ok;
    }

    /// <summary>search-key (RFC 3501 §9 with RFC 9051, RFC 7162 MODSEQ and RFC 5032 YOUNGER/OLDER).</summary>
    public ParseStatus TryReadSearchKey(out SearchKey key)
    {
        key = null!;
        if (!_r.TryPeek(out var b)) return NeedMore();
        if (b == '(')
        {
            _r.Advance(1);
            if (++_depth > _options.MaxDepth) return Fail($"search keys nested deeper than {_options.MaxDepth}");
            var children = new List<SearchKey>();
            while (true)
            {
                var s1 = TryReadSearchKey(out var child);
                if (s1 != ParseStatus.Ok) return s1;
                children.Add(child);
                if (!_r.TryPeek(out b)) return NeedMore();
                if (b == ')') { _r.Advance(1); break; }
                if ((s1 = TryReadSpace()) != ParseStatus.Ok) return s1;
            }
            _depth--;
            key = new SearchKey(SearchKeyKind.And) { Children = children };
            return CountValue();
        }
        if (b is (>= (byte)'0' and <= (byte)'9') or (byte)'*' or (byte)'$')
        {
            var s2 = TryReadSequenceSet(out var set);
            if (s2 == ParseStatus.Ok) key = new SearchKey(SearchKeyKind.SequenceSet) { Set = set };
            return s2;
        }
        var s = TryReadAtom(out ReadOnlySequence<byte> atom);
        if (s != ParseStatus.Ok) return s;
        if (!SearchKeys.TryGet(atom, out var kind)) return Fail($"unknown search key {Ascii(atom)}");
        if (CountValue() != ParseStatus.Ok) return ParseStatus.Error;
        return TryReadSearchKeyArguments(kind, out key);
    }

    private ParseStatus TryReadSearchKeyArguments(SearchKeyKind kind, out SearchKey key)
    {
        key = new SearchKey(kind);
        if (SearchKeys.TakesNothing(kind)) return ParseStatus.Ok;
        var s = TryReadSpace();
        if (s != ParseStatus.Ok) return s;
        switch (kind)
        {
            case SearchKeyKind.Bcc or SearchKeyKind.Body or SearchKeyKind.Cc or SearchKeyKind.From
                or SearchKeyKind.Subject or SearchKeyKind.Text or SearchKeyKind.To:
                s = TryReadAstring(out string text);
                key = new SearchKey(kind) { Value = text };
                return s;
            case SearchKeyKind.Keyword or SearchKeyKind.Unkeyword:
                s = TryReadAtom(out string keyword);
                key = new SearchKey(kind) { Value = keyword };
                return s;
            case SearchKeyKind.Header:
                s = TryReadAstring(out string field);
                if (s == ParseStatus.Ok) s = TryReadSpace();
                var value = "";
                if (s == ParseStatus.Ok) s = TryReadAstring(out value);
                key = new SearchKey(kind) { Field = field, Value = value };
                return s;
            case SearchKeyKind.Before or SearchKeyKind.On or SearchKeyKind.Since or SearchKeyKind.SentBefore
                or SearchKeyKind.SentOn or SearchKeyKind.SentSince:
                s = TryReadDate(out var date);
                key = new SearchKey(kind) { Date = date };
                return s;
            case SearchKeyKind.Larger or SearchKeyKind.Smaller:
                s = TryReadNumber64(out var size);
                key = new SearchKey(kind) { Number = size };
                return s;
            case SearchKeyKind.Younger or SearchKeyKind.Older:
                s = TryReadNzNumber(out var seconds);
                key = new SearchKey(kind) { Number = seconds };
                return s;
            case SearchKeyKind.Uid:
                s = TryReadSequenceSet(out var set);
                key = new SearchKey(kind) { Set = set };
                return s;
            case SearchKeyKind.ModSeq:
                return TryReadModSeqKey(out key);
            case SearchKeyKind.Not:
                return TryReadNested(kind, 1, out key);
            default:
                return TryReadNested(kind, 2, out key);
        }
    }

    private ParseStatus TryReadNested(SearchKeyKind kind, int count, out SearchKey key)
    {
        key = null!;
        if (++_depth > _options.MaxDepth) return Fail($"search keys nested deeper than {_options.MaxDepth}");
        var children = new SearchKey[count];
        for (var i = 0; i < count; i++)
        {
            ParseStatus s;
            if (i > 0 && (s = TryReadSpace()) != ParseStatus.Ok) return s;
            if ((s = TryReadSearchKey(out children[i])) != ParseStatus.Ok) return s;
        }
        _depth--;
        key = new SearchKey(kind) { Children = children };
        return ParseStatus.Ok;
    }

    /// <summary>search-modsequence = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer, where
    /// search-modseq-ext = SP entry-name SP entry-type-req.</summary>
    private ParseStatus TryReadModSeqKey(out SearchKey key)
    {
        key = null!;
        if (!_r.TryPeek(out var b)) return NeedMore();
        string? entry = null, type = null;
        ParseStatus s;
        if (b == '"')
        {
            s = TryReadQuoted(out var name);
            if (s == ParseStatus.Ok) s = TryReadSpace();
            if (s == ParseStatus.Ok) s = TryReadAtom(out type);
            if (s == ParseStatus.Ok) s = TryReadSpace();
            if (s != ParseStatus.Ok) return s;
            entry = System.Text.Encoding.UTF8.GetString(name.Span);
            type = type!.ToLowerInvariant();
            if (type is not ("priv" or "shared" or "all")) return Fail("MODSEQ entry type must be priv, shared or all");
        }
        s = TryReadNumber64(out var modseq);
        key = new SearchKey(SearchKeyKind.ModSeq) { Value = entry, Field = type, Number = modseq };
        return s;
    }
}

/// <summary>The search key names.</summary>
internal static class SearchKeys
{
    private static readonly Dictionary<string, SearchKeyKind> ByName = CreateTable();

    private static Dictionary<string, SearchKeyKind> CreateTable()
    {
        var table = new Dictionary<string, SearchKeyKind>(StringComparer.OrdinalIgnoreCase);
        foreach (var kind in Enum.GetValues<SearchKeyKind>())
            if (kind is not (SearchKeyKind.And or SearchKeyKind.SequenceSet)) table[kind.ToString().ToUpperInvariant()] = kind;
        return table;
    }

    public static bool TryGet(in ReadOnlySequence<byte> atom, out SearchKeyKind kind)
    {
        kind = default;
        if (atom.Length > 16) return false;
        Span<char> chars = stackalloc char[(int)atom.Length];
        var i = 0;
        foreach (var segment in atom)
            foreach (var b in segment.Span) chars[i++] = (char)b;
        return ByName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out kind);
    }

    public static bool TakesNothing(SearchKeyKind kind) => kind is SearchKeyKind.All or SearchKeyKind.Answered
        or SearchKeyKind.Deleted or SearchKeyKind.Draft or SearchKeyKind.Flagged or SearchKeyKind.New
        or SearchKeyKind.Old or SearchKeyKind.Recent or SearchKeyKind.Seen or SearchKeyKind.Unanswered
        or SearchKeyKind.Undeleted or SearchKeyKind.Undraft or SearchKeyKind.Unflagged or SearchKeyKind.Unseen;
}
