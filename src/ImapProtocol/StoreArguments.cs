namespace ImapProxy.Protocol;

/// <summary>How STORE changes flags.</summary>
public enum StoreMode
{
    /// <summary><c>FLAGS</c>: replace.</summary>
    Replace,

    /// <summary><c>+FLAGS</c>: add.</summary>
    Add,

    /// <summary><c>-FLAGS</c>: remove.</summary>
    Remove,
}

/// <summary>The arguments of STORE / UID STORE.</summary>
public sealed class StoreArguments
{
    /// <summary>The messages.</summary>
    public required SequenceSet Set { get; init; }

    /// <summary>The UNCHANGEDSINCE modifier (RFC 7162), or null.</summary>
    public ulong? UnchangedSince { get; init; }

    /// <summary>Replace, add or remove.</summary>
    public StoreMode Mode { get; init; }

    /// <summary>True for <c>.SILENT</c>.</summary>
    public bool Silent { get; init; }

    /// <summary>The flags (system flags in canonical case).</summary>
    public required IReadOnlyList<string> Flags { get; init; }
}

public ref partial struct ImapReader
{
    /// <summary>STORE arguments: sequence-set [SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"] SP
    /// ["+" / "-"] "FLAGS" [".SILENT"] SP (flag-list / flag *(SP flag)). Stops before CRLF.</summary>
    public ParseStatus TryReadStoreArguments(out StoreArguments arguments)
    {
        arguments = null!;
        var s = TryReadSequenceSet(out var set);
        if (s == ParseStatus.Ok) s = TryReadSpace();
        if (s != ParseStatus.Ok) return s;
        ulong? unchangedSince = null;
        if (!_r.TryPeek(out var b)) return NeedMore();
        if (b == '(')
        {
            _r.Advance(1);
            ulong n = 0;
            s = TryReadKeyword("UNCHANGEDSINCE");
            if (s == ParseStatus.Ok) s = TryReadSpace();
            if (s == ParseStatus.Ok) s = TryReadNumber64(out n);
            if (s == ParseStatus.Ok) s = TryReadByte((byte)')', "')'");
            if (s == ParseStatus.Ok) s = TryReadSpace();
            if (s != ParseStatus.Ok) return s;
            unchangedSince = n;
            if (!_r.TryPeek(out b)) return NeedMore();
        }
        var mode = b == '+' ? StoreMode.Add : b == '-' ? StoreMode.Remove : StoreMode.Replace;
        if (mode != StoreMode.Replace) _r.Advance(1);
        if ((s = TryReadAtom(out string item)) != ParseStatus.Ok) return s;
        var silent = item.Equals("FLAGS.SILENT", StringComparison.OrdinalIgnoreCase);
        if (!silent && !item.Equals("FLAGS", StringComparison.OrdinalIgnoreCase)) return Fail($"unknown STORE item {item}");
        if ((s = TryReadSpace()) != ParseStatus.Ok) return s;
        if (!_r.TryPeek(out b)) return NeedMore();
        IReadOnlyList<string> flags;
        if (b == '(')
        {
            if ((s = TryReadFlagList(out flags)) != ParseStatus.Ok) return s;
        }
        else
        {
            var list = new List<string>();
            while (true)
            {
                if ((s = TryReadFlag(out var flag)) != ParseStatus.Ok) return s;
                list.Add(flag);
                if ((s = TryPeekIs((byte)' ', out var more)) != ParseStatus.Ok) return s;
                if (!more) break;
                _r.Advance(1);
                if (list.Count > _options.MaxValues) return Fail("too many flags");
            }
            flags = list;
        }
        arguments = new StoreArguments { Set = set, UnchangedSince = unchangedSince, Mode = mode, Silent = silent, Flags = flags };
        return ParseStatus.Ok;
    }
}
