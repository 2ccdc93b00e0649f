using System.Buffers;

namespace ImapProxy.Protocol;

public ref partial struct ImapReader
{
    /// <summary>Reads any one value: NIL, atom (with a <c>[section]&lt;partial&gt;</c> suffix kept in the token),
    /// quoted string, literal, or a parenthesized list of values.</summary>
    public ParseStatus TryReadValue(out ImapValue value)
    {
        value = default;
        if (!_r.TryPeek(out var b)) return NeedMore();
        switch (b)
        {
            case (byte)'(':
                return TryReadList(out value);
            case (byte)'"':
            case (byte)'{':
                return TryReadString(out value);
            case (byte)'~':
                if (!_r.TryPeek(1, out var b1)) return NeedMore();
                if (b1 == '{') return TryReadLiteral(out value);
                break;
        }
        var start = _r.Consumed;
        var s = ScanGenericAtom();
        if (s != ParseStatus.Ok) return s;
        value = _r.Consumed - start == 3 && _r.EqualsIgnoreCaseFrom(start, "NIL"u8)
            ? ImapValue.Nil
            : new ImapValue(ImapValueKind.Atom, _r.MemoryFrom(start));
        return CountValue();
    }

    /// <summary>A parenthesized list of values separated by SP (extra spaces tolerated, as some servers send
    /// them; a list may directly follow another item, as in a multipart BODYSTRUCTURE); nesting is limited by
    /// <see cref="ImapParserOptions.MaxDepth"/>.</summary>
    public ParseStatus TryReadList(out ImapValue value)
    {
        value = default;
        var s = TryReadByte((byte)'(', "'('");
        if (s != ParseStatus.Ok) return s;
        if (++_depth > _options.MaxDepth) return Fail($"lists nested deeper than {_options.MaxDepth}");
        if (_depth > 32 && !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            return Fail("lists nested too deeply for the stack");
        var items = new ValueCollector();
        if (_r.Array is not null)
        {
            s = TryReadListItemsContiguous(ref items);
            if (s != ParseStatus.Ok) return s;
            _depth--;
            value = new ImapValue(ImapValueKind.List, default, items.ToArray());
            return CountValue();
        }
        var needSeparator = false;
        while (true)
        {
            if (!_r.TryPeek(out var b)) return NeedMore();
            if (b == ' ') { _r.Advance(1); needSeparator = false; continue; }
            if (b == ')') { _r.Advance(1); break; }
            // body-type-mpart = 1*body SP media-subtype: nested lists may follow each other without SP.
            if (needSeparator && b != '(') return Fail($"expected SP or ')', found {Describe(b)}");
            s = TryReadValue(out var item);
            if (s != ParseStatus.Ok) return s;
            items.Add(item);
            needSeparator = true;
        }
        _depth--;
        value = new ImapValue(ImapValueKind.List, default, items.ToArray());
        return CountValue();
    }

    /// <summary>Reads values, each preceded by SP, up to and including CRLF: the arguments of a command after its
    /// name, or the rest of an untagged data response. A trailing SP before CRLF is tolerated.</summary>
    public ParseStatus TryReadArguments(out ImapValue[] values)
    {
        values = [];
        var items = new ValueCollector();
        while (true)
        {
            if (!_r.TryPeek(out var b)) return NeedMore();
            if (b == '\r' || b == '\n') break;
            var s = TryReadSpace();
            if (s != ParseStatus.Ok) return s;
            while (_r.TryPeek(out b) && b == ' ') _r.Advance(1);
            if (!_r.TryPeek(out b)) return NeedMore();
            if (b == '\r' || b == '\n') break;
            if ((s = TryReadValue(out var item)) != ParseStatus.Ok) return s;
            items.Add(item);
        }
        var end = TryReadCrlf();
        if (end != ParseStatus.Ok) return end;
        values = items.ToArray();
        return ParseStatus.Ok;
    }

    /// <summary>The lenient token of generic values: atom characters plus <c>\</c>, <c>%</c>, <c>*</c>, <c>]</c>,
    /// and, after a "[", everything up to the matching "]" (spaces, lists and quoted strings included), so that
    /// <c>BODY[HEADER.FIELDS (A B)]&lt;0.100&gt;</c> stays one token.</summary>
    internal ParseStatus TryReadGenericAtom(out ReadOnlySequence<byte> atom)
    {
        var start = _r.Consumed;
        var s = ScanGenericAtom();
        atom = s == ParseStatus.Ok ? _r.SliceFrom(start) : default;
        return s;
    }

    private ParseStatus ScanGenericAtom()
    {
        var startConsumed = _r.Consumed;
        var brackets = 0;
        while (true)
        {
            var span = _r.UnreadSpan;
            if (span.IsEmpty) return NeedMore();
            if (brackets == 0)
            {
                var i = span.IndexOfAnyExcept(ImapChars.GenericAtom);
                var run = i < 0 ? span : span[..i];
                brackets = Math.Max(0, brackets + run.Count((byte)'[') - run.Count((byte)']'));
                _r.Advance(run.Length);
                if (i < 0) continue;
                if (brackets == 0) break;
                continue;
            }
            var b = span[0];
            if (b == '\r' || b == '\n') break;
            if (b == '"')
            {
                var s = TryReadQuoted(out _);
                if (s != ParseStatus.Ok) return s;
                continue;
            }
            if (b == '[') brackets++;
            else if (b == ']') brackets--;
            _r.Advance(1);
        }
        if (_r.Consumed == startConsumed)
        {
            _r.TryPeek(out var bad);
            return Fail($"unexpected {Describe(bad)}");
        }
        return ParseStatus.Ok;
    }
}

public ref partial struct ImapReader
{
    /// <summary>Like <see cref="TryReadArguments"/>, for input that starts with a value instead of SP.</summary>
    internal ParseStatus TryReadArgumentsAfterFirst(out ImapValue[] values)
    {
        values = [];
        var s = TryReadValue(out var first);
        if (s != ParseStatus.Ok) return s;
        if ((s = TryReadArguments(out var rest)) != ParseStatus.Ok) return s;
        values = new ImapValue[rest.Length + 1];
        values[0] = first;
        rest.CopyTo(values, 1);
        return ParseStatus.Ok;
    }
}
