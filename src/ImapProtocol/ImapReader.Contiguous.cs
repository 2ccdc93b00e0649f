namespace ImapProxy.Protocol;

public ref partial struct ImapReader
{
    /// <summary>
    /// The items of a list and its closing ")" over contiguous, array-backed input: the same grammar as the general
    /// loop of <see cref="TryReadList"/>, with the two commonest items (a plain atom or NIL, a quoted string without
    /// escapes) read straight off the span into values that reference the input array. Anything else, and anything
    /// that reaches the end of the input, goes through the general <see cref="TryReadValue"/> from the item's start,
    /// so results, errors and "need more data" are exactly the general path's.
    /// </summary>
    private ParseStatus TryReadListItemsContiguous(ref ValueCollector items)
    {
        var span = _r.Span;
        var array = _r.Array!;
        var offset = _r.ArrayOffset;
        var pos = _r.Index;
        var needSeparator = false;
        while (true)
        {
            if (pos >= span.Length)
            {
                _r.Index = pos;
                return NeedMore();
            }
            var b = span[pos];
            if (b == ' ') { pos++; needSeparator = false; continue; }
            if (b == ')') { _r.Index = pos + 1; return ParseStatus.Ok; }
            if (needSeparator && b != '(')
            {
                _r.Index = pos;
                return Fail($"expected SP or ')', found {Describe(b)}");
            }
            needSeparator = true;
            if (b == '"')
            {
                var length = span[(pos + 1)..].IndexOfAny(QuotedStops);
                if (length >= 0 && span[pos + 1 + length] == '"')
                {
                    items.Add(new ImapValue(ImapValueKind.Quoted, array, offset + pos + 1, length));
                    pos += length + 2;
                    if (++_values > _options.MaxValues) { _r.Index = pos; return Fail($"more than {_options.MaxValues} values"); }
                    continue;
                }
            }
            else if (b != '~' && b != '(')
            {
                var length = span[pos..].IndexOfAnyExcept(ImapChars.GenericAtom);
                if (length > 0 && span.Slice(pos, length).IndexOf((byte)'[') < 0)
                {
                    items.Add(length == 3 && System.Text.Ascii.EqualsIgnoreCase(span.Slice(pos, 3), "NIL"u8)
                        ? default
                        : new ImapValue(ImapValueKind.Atom, array, offset + pos, length));
                    pos += length;
                    if (++_values > _options.MaxValues) { _r.Index = pos; return Fail($"more than {_options.MaxValues} values"); }
                    continue;
                }
            }
            _r.Index = pos;
            var s = TryReadValue(out var item);
            if (s != ParseStatus.Ok) return s;
            items.Add(item);
            pos = _r.Index;
        }
    }
}
