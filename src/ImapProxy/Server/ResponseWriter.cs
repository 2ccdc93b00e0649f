using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;

namespace ImapProxy.Server;

/// <summary>
/// Writes server responses into the connection's pipe. Data is flushed whenever a threshold fills up, and each
/// flush waits for the peer to drain Kestrel's bounded output buffer: a slow reader slows the session down
/// instead of growing memory.
/// </summary>
internal sealed class ResponseWriter
{
    private const int FlushThreshold = 32 * 1024;
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private PipeWriter _output;
    private long _unflushed;

    public ResponseWriter(PipeWriter output) => _output = output;

    /// <summary>Switches to a new pipe, after STARTTLS.</summary>
    public void Replace(PipeWriter output)
    {
        _output = output;
        _unflushed = 0;
    }

    public ResponseWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        _unflushed += bytes.Length;
        return this;
    }

    public ResponseWriter Ascii(string text)
    {
        var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, span);
        _output.Advance(written);
        _unflushed += written;
        return this;
    }

    public ResponseWriter Number(long value)
    {
        var span = _output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        _output.Advance(written);
        _unflushed += written;
        return this;
    }

    public ResponseWriter Space() => Bytes(" "u8);

    public ResponseWriter EndLine() => Bytes(Crlf);

    /// <summary>A string as quoted when it is safe to, otherwise as a literal (RFC 3501 §4.3).</summary>
    public ResponseWriter AString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return QuotedOrLiteral(bytes);
    }

    public ResponseWriter NString(string? value) => value is null ? Bytes("NIL"u8) : AString(value);

    public ResponseWriter QuotedOrLiteral(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 1024 || bytes.IndexOfAny("\r\n\0"u8) >= 0 || ContainsNonAscii(bytes))
        {
            return Literal(bytes);
        }
        Bytes("\""u8);
        int start = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] is (byte)'"' or (byte)'\\')
            {
                Bytes(bytes[start..i]).Bytes("\\"u8);
                start = i;
            }
        }
        return Bytes(bytes[start..]).Bytes("\""u8);
    }

    public ResponseWriter Literal(ReadOnlySpan<byte> bytes) =>
        Bytes("{"u8).Number(bytes.Length).Bytes("}\r\n"u8).Bytes(bytes);

    public ResponseWriter Literal(ReadOnlySequence<byte> bytes)
    {
        Bytes("{"u8).Number(bytes.Length).Bytes("}\r\n"u8);
        foreach (var segment in bytes)
        {
            Bytes(segment.Span);
        }
        return this;
    }

    /// <summary>A whole untagged line: <c>* text</c>.</summary>
    public ResponseWriter Untagged(string text) => Bytes("* "u8).Ascii(text).EndLine();

    public ResponseWriter Continuation(string text) => Bytes("+ "u8).Ascii(text).EndLine();

    public ResponseWriter Tagged(string tag, CommandResult result)
    {
        Ascii(tag).Bytes(result.Outcome switch
        {
            CommandOutcome.Ok => " OK "u8,
            CommandOutcome.No => " NO "u8,
            _ => " BAD "u8,
        });
        if (result.Code is not null)
        {
            Bytes("["u8).Ascii(result.Code).Bytes("] "u8);
        }
        return Ascii(result.Text).EndLine();
    }

    /// <summary>Flushes only once enough is buffered; call between items of a long response.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancellationToken) =>
        _unflushed >= FlushThreshold ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Sends what is buffered, waiting while the peer is not reading (backpressure).</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _unflushed = 0;
        var result = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new ConnectionClosedException();
        }
    }

    private static bool ContainsNonAscii(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExceptInRange((byte)0x01, (byte)0x7f) >= 0;
}

/// <summary>The peer went away while we were writing or reading; ends the session quietly.</summary>
internal sealed class ConnectionClosedException : Exception
{
    public ConnectionClosedException() : base("connection closed by peer")
    {
    }
}
