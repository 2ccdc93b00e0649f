using System.Text;
using ImapProxy.Protocol;

namespace ImapProxy.Server;

/// <summary>Walks a command's generic arguments; every mistake becomes a <see cref="CommandSyntaxException"/> (tagged BAD).</summary>
internal sealed class ArgumentCursor
{
    private readonly IReadOnlyList<ImapValue> _values;
    private int _next;

    public ArgumentCursor(IReadOnlyList<ImapValue> values) => _values = values;

    public bool AtEnd => _next >= _values.Count;

    public int Remaining => _values.Count - _next;

    public ImapValue Peek() => AtEnd ? throw new CommandSyntaxException("Missing argument") : _values[_next];

    public ImapValue Next(string what) =>
        AtEnd ? throw new CommandSyntaxException($"Missing argument: {what}") : _values[_next++];

    /// <summary>True and consumes it when the next argument is the atom <paramref name="keyword"/>.</summary>
    public bool TryKeyword(string keyword)
    {
        if (!AtEnd && _values[_next].IsAtom(keyword))
        {
            _next++;
            return true;
        }
        return false;
    }

    public bool NextIsList => !AtEnd && _values[_next].IsList;

    public string Astring(string what)
    {
        var value = Next(what);
        if (!value.IsAstring)
        {
            throw new CommandSyntaxException($"Expected {what} as a string");
        }
        return value.AsString()!;
    }

    public string Atom(string what)
    {
        var value = Next(what);
        if (value.Kind != ImapValueKind.Atom)
        {
            throw new CommandSyntaxException($"Expected {what}");
        }
        return value.AsString()!;
    }

    public IReadOnlyList<ImapValue> List(string what)
    {
        var value = Next(what);
        if (!value.IsList)
        {
            throw new CommandSyntaxException($"Expected a parenthesized list for {what}");
        }
        return value.Items;
    }

    public uint Number(string what)
    {
        var value = Next(what);
        if (!value.TryGetNumber(out var number) || number > uint.MaxValue)
        {
            throw new CommandSyntaxException($"Expected a number for {what}");
        }
        return (uint)number;
    }

    public ulong Number64(string what)
    {
        var value = Next(what);
        if (!value.TryGetNumber(out var number))
        {
            throw new CommandSyntaxException($"Expected a number for {what}");
        }
        return number;
    }

    public void End()
    {
        if (!AtEnd)
        {
            throw new CommandSyntaxException($"Unexpected extra argument {ImapSession.Printable(_values[_next].ToString())}");
        }
    }

    /// <summary>The remaining arguments, consumed.</summary>
    public IReadOnlyList<ImapValue> Rest()
    {
        var rest = new List<ImapValue>();
        while (!AtEnd)
        {
            rest.Add(_values[_next++]);
        }
        return rest;
    }

    public static string Text(ImapValue value) => value.Kind == ImapValueKind.List ? value.ToString() : Encoding.UTF8.GetString(value.Bytes.Span);
}
