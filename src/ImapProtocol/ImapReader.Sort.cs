using System.Buffers;

namespace ImapProxy.Protocol;

public ref partial struct ImapReader
{
    private const int MaxSortCriteria = 32;

    /// <summary>sort-criteria = "(" sort-criterion *(SP sort-criterion) ")" (RFC 5256 §5).</summary>
    public ParseStatus TryReadSortCriteria(out IReadOnlyList<SortCriterion> criteria)
    {
        criteria = [];
        if (!_r.TryPeek(out var b)) return NeedMore();
        if (b != '(') return Fail("sort criteria must be a parenthesized list");
        _r.Advance(1);
        var list = new List<SortCriterion>();
        while (true)
        {
            var s = TryReadSortCriterion(out var criterion);
            if (s != ParseStatus.Ok) return s;
            if (list.Count == MaxSortCriteria) return Fail($"more than {MaxSortCriteria} sort criteria");
            list.Add(criterion);
            if (!_r.TryPeek(out b)) return NeedMore();
            if (b == ')')
            {
                _r.Advance(1);
                criteria = list;
                return ParseStatus.Ok;
            }
            if ((s = TryReadSpace()) != ParseStatus.Ok) return s;
        }
    }

    /// <summary>sort-criterion = ["REVERSE" SP] sort-key.</summary>
    public ParseStatus TryReadSortCriterion(out SortCriterion criterion)
    {
        criterion = default;
        var s = TryReadAtom(out ReadOnlySequence<byte> atom);
        if (s != ParseStatus.Ok) return s;
        var reverse = false;
        if (EqualsIgnoreCase(atom, "REVERSE"))
        {
            reverse = true;
            if ((s = TryReadSpace()) != ParseStatus.Ok) return s;
            if ((s = TryReadAtom(out atom)) != ParseStatus.Ok) return s;
        }
        if (!TryGetSortKey(atom, out var key)) return Fail($"unknown sort key {Ascii(atom)}");
        criterion = new SortCriterion(key, reverse);
        return ParseStatus.Ok;
    }

    /// <summary>thread-alg = "ORDEREDSUBJECT" / "REFERENCES" / thread-alg-ext (RFC 5256 §5); an unknown
    /// algorithm is read as <see cref="ThreadAlgorithm.Other"/> with its name, so the server can answer NO.</summary>
    public ParseStatus TryReadThreadAlg(out ThreadAlgorithm algorithm, out string name)
    {
        algorithm = ThreadAlgorithm.Other;
        var s = TryReadAtom(out name);
        if (s != ParseStatus.Ok) return s;
        name = name.ToUpperInvariant();
        algorithm = name switch
        {
            "ORDEREDSUBJECT" => ThreadAlgorithm.OrderedSubject,
            "REFERENCES" => ThreadAlgorithm.References,
            _ => ThreadAlgorithm.Other,
        };
        return ParseStatus.Ok;
    }

    /// <summary>search-criteria = charset 1*(SP search-key) (RFC 5256 §5, where the charset is mandatory).
    /// Stops before CRLF.</summary>
    public ParseStatus TryReadSearchCriteria(out string charset, out SearchKey criteria)
    {
        criteria = null!;
        var s = TryReadAstring(out charset);
        if (s != ParseStatus.Ok) return s;
        var keys = new List<SearchKey>();
        while (true)
        {
            if ((s = TryReadSpace()) != ParseStatus.Ok) return s;
            if ((s = TryReadSearchKey(out var key)) != ParseStatus.Ok) return s;
            keys.Add(key);
            if ((s = TryPeekEndOfLine(out var end)) != ParseStatus.Ok) return s;
            if (end) break;
        }
        criteria = new SearchKey(SearchKeyKind.And) { Children = keys };
        return ParseStatus.Ok;
    }

    private static bool TryGetSortKey(in ReadOnlySequence<byte> atom, out SortKey key)
    {
        foreach (var candidate in Enum.GetValues<SortKey>())
        {
            if (EqualsIgnoreCase(atom, candidate.ToString().ToUpperInvariant()))
            {
                key = candidate;
                return true;
            }
        }
        key = default;
        return false;
    }
}
