using System.Text;

namespace ImapProxy.Upstream.Client.Wire;

/// <summary>
/// Builds one command as parts: plain bytes and literals. The sender writes the parts, waiting for a "+"
/// before each synchronizing literal. Parts marked secret are replaced by <c>***</c> in the trace.
/// </summary>
internal sealed class CommandBuilder
{
    private readonly List<CommandPart> _parts = [];
    private readonly StringBuilder _pending = new();
    private bool _pendingSecret;

    public CommandBuilder(string name) => Name = name;

    /// <summary>The command name, for error messages (arguments are never put in errors).</summary>
    public string Name { get; }

    /// <summary>The parts, after <see cref="Build"/>.</summary>
    public IReadOnlyList<CommandPart> Parts => _parts;

    /// <summary>Appends verbatim protocol text (atoms, parentheses, numbers, spaces).</summary>
    public CommandBuilder Raw(string text)
    {
        if (_pendingSecret) Flush();
        _pending.Append(text);
        return this;
    }

    /// <summary>Appends an astring: an atom when possible, else a quoted string, else a literal.</summary>
    public CommandBuilder AString(string value, bool utf8Allowed, bool secret = false)
    {
        if (secret) FlushAndMarkSecret();
        if (IsAtom(value)) _pending.Append(value);
        else String(value, utf8Allowed);
        if (secret) Flush();
        return this;
    }

    /// <summary>Appends a string: quoted when possible, else a literal.</summary>
    public CommandBuilder String(string value, bool utf8Allowed, bool secret = false)
    {
        if (secret) FlushAndMarkSecret();
        if (CanQuote(value, utf8Allowed))
        {
            _pending.Append('"');
            foreach (var c in value)
            {
                if (c is '"' or '\\') _pending.Append('\\');
                _pending.Append(c);
            }
            _pending.Append('"');
        }
        else Literal(Encoding.UTF8.GetBytes(value), secret);
        if (secret) Flush();
        return this;
    }

    /// <summary>Appends a literal from memory.</summary>
    public CommandBuilder Literal(ReadOnlyMemory<byte> bytes, bool secret = false, bool binary = false)
    {
        Flush();
        _parts.Add(new CommandPart(bytes, null, bytes.Length, IsLiteral: true, secret, binary));
        return this;
    }

    /// <summary>Appends a literal read from a stream of known length (APPEND of a large message).</summary>
    public CommandBuilder Literal(Stream source, long length, bool binary = false)
    {
        Flush();
        _parts.Add(new CommandPart(ReadOnlyMemory<byte>.Empty, source, length, IsLiteral: true, Secret: false, binary));
        return this;
    }

    /// <summary>Finishes the command (the CRLF is added by the sender).</summary>
    public IReadOnlyList<CommandPart> Build()
    {
        Flush();
        return _parts;
    }

    private void FlushAndMarkSecret()
    {
        Flush();
        _pendingSecret = true;
    }

    private void Flush()
    {
        if (_pending.Length > 0)
        {
            var text = _pending.ToString();
            _parts.Add(new CommandPart(Encoding.UTF8.GetBytes(text), null, 0, IsLiteral: false, _pendingSecret, false));
        }
        _pending.Clear();
        _pendingSecret = false;
    }

    /// <summary>ATOM-CHAR+ (RFC 3501 §9), excluding "]" too so that the result is also a valid astring in codes.</summary>
    internal static bool IsAtom(string value)
    {
        if (value.Length == 0) return false;
        foreach (var c in value)
            if (c <= ' ' || c >= 0x7f || c is '(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']') return false;
        return true;
    }

    private static bool CanQuote(string value, bool utf8Allowed)
    {
        if (value.Length > 1024) return false;
        foreach (var c in value)
            if (c is '\r' or '\n' or '\0' || (c >= 0x80 && !utf8Allowed)) return false;
        return true;
    }
}

/// <summary>A piece of a command: text, or a literal (from memory or a stream).</summary>
internal sealed record CommandPart(ReadOnlyMemory<byte> Bytes, Stream? Source, long Length, bool IsLiteral, bool Secret, bool Binary);
