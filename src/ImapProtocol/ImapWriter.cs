using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace ImapProxy.Protocol;

/// <summary>
/// Writes IMAP syntax into an <see cref="IBufferWriter{T}"/>, choosing per value between atom, quoted string and
/// literal: 8-bit data (unless <see cref="ImapWriterOptions.Utf8"/>), CR, LF, NUL or length above
/// <see cref="ImapWriterOptions.MaxQuotedLength"/> make a literal. Synchronizing literal headers are recorded in
/// <see cref="SynchronizingLiteralEnds"/> so a client can split a command where it must wait for <c>+</c>
/// (see <see cref="ImapCommandBuilder"/>). Methods return the writer for chaining.
/// </summary>
public sealed partial class ImapWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly List<long> _syncEnds = [];

    /// <summary>Creates a writer.</summary>
    public ImapWriter(IBufferWriter<byte> output, ImapWriterOptions? options = null)
    {
        _output = output;
        Options = options ?? ImapWriterOptions.Client;
    }

    /// <summary>The options in force.</summary>
    public ImapWriterOptions Options { get; }

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>For each synchronizing literal written: <see cref="BytesWritten"/> just after its <c>{n}</c> CRLF.</summary>
    public IReadOnlyList<long> SynchronizingLiteralEnds => _syncEnds;

    /// <summary>Writes bytes as they are.</summary>
    public ImapWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        BytesWritten += bytes.Length;
        return this;
    }

    /// <summary>Writes ASCII text as it is (a keyword, a command name, response text).</summary>
    public ImapWriter Raw(string ascii)
    {
        var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(ascii.Length));
        var n = Encoding.UTF8.GetBytes(ascii, span);
        _output.Advance(n);
        BytesWritten += n;
        return this;
    }

    /// <summary>SP.</summary>
    public ImapWriter Space() => Raw(" "u8);

    /// <summary>CRLF.</summary>
    public ImapWriter Crlf() => Raw("\r\n"u8);

    /// <summary>NIL.</summary>
    public ImapWriter Nil() => Raw("NIL"u8);

    /// <summary>"(".</summary>
    public ImapWriter BeginList() => Raw("("u8);

    /// <summary>")".</summary>
    public ImapWriter EndList() => Raw(")"u8);

    /// <summary>An atom; throws if <paramref name="atom"/> is not a valid atom (a programming error).</summary>
    public ImapWriter Atom(string atom)
    {
        if (atom.Length == 0) throw new ArgumentException("an atom cannot be empty", nameof(atom));
        foreach (var c in atom)
            if (c > 0x7e || !ImapChars.Atom.Contains((byte)c)) throw new ArgumentException($"'{atom}' is not an atom", nameof(atom));
        return Raw(atom);
    }

    /// <summary>A number or number64.</summary>
    public ImapWriter Number(ulong value)
    {
        var span = _output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var n);
        _output.Advance(n);
        BytesWritten += n;
        return this;
    }

    /// <summary>string: quoted when possible, else a literal.</summary>
    public ImapWriter String(ReadOnlySpan<byte> value)
    {
        if (CanQuote(value)) return Quoted(value);
        return Literal(value);
    }

    /// <summary>string from text, UTF-8 encoded.</summary>
    public ImapWriter String(string value) => String(Encoding.UTF8.GetBytes(value));

    /// <summary>astring: an atom when every byte is an ASTRING-CHAR, else quoted or literal.</summary>
    public ImapWriter Astring(ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty && value.IndexOfAnyExcept(ImapChars.Astring) < 0) return Raw(value);
        return String(value);
    }

    /// <summary>astring from text, UTF-8 encoded.</summary>
    public ImapWriter Astring(string value) => Astring(Encoding.UTF8.GetBytes(value));

    /// <summary>nstring: NIL for null, else a string.</summary>
    public ImapWriter Nstring(string? value) => value is null ? Nil() : String(value);

    /// <summary>nstring: NIL when <paramref name="isNil"/>, else a string.</summary>
    public ImapWriter Nstring(ReadOnlySpan<byte> value, bool isNil) => isNil ? Nil() : String(value);

    /// <summary>A quoted string; the caller ensures it holds no CR, LF or NUL.</summary>
    public ImapWriter Quoted(ReadOnlySpan<byte> value)
    {
        var span = _output.GetSpan(value.Length * 2 + 2);
        var n = 0;
        span[n++] = (byte)'"';
        foreach (var b in value)
        {
            if (b == '"' || b == '\\') span[n++] = (byte)'\\';
            span[n++] = b;
        }
        span[n++] = (byte)'"';
        _output.Advance(n);
        BytesWritten += n;
        return this;
    }

    /// <summary>A literal: <c>{n}</c>, <c>{n+}</c> or <c>~{n}</c> per the options and the data, then the bytes.</summary>
    public ImapWriter Literal(ReadOnlySpan<byte> value)
    {
        var binary = Options.Binary && value.Contains((byte)0);
        var sync = Options.Literals switch
        {
            LiteralMode.Synchronizing => true,
            LiteralMode.LiteralMinus => value.Length > 4096,
            _ => false,
        };
        if (binary) Raw("~"u8);
        Raw("{"u8).Number((ulong)value.Length);
        if (!sync && Options.Literals != LiteralMode.Response) Raw("+"u8);
        Raw("}\r\n"u8);
        if (sync) _syncEnds.Add(BytesWritten);
        return Raw(value);
    }

    /// <summary>True when <paramref name="value"/> can be sent as a quoted string under these options.</summary>
    public bool CanQuote(ReadOnlySpan<byte> value)
    {
        if (value.Length > Options.MaxQuotedLength || value.IndexOfAny(ImapChars.NotQuotable) >= 0) return false;
        if (System.Text.Ascii.IsValid(value)) return true;
        return Options.Utf8 && System.Text.Unicode.Utf8.IsValid(value);
    }
}
