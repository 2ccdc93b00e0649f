using System.Buffers;
using System.IO.Pipelines;
using ImapProxy.Protocol;

namespace ImapProxy.Server;

/// <summary>
/// The session's output: the protocol library's <see cref="ImapWriter"/> (server options: <c>{n}</c> literals,
/// quoted-or-literal strings) writing straight into the connection's pipe, plus flushing. Data is flushed whenever
/// a threshold fills up, and each flush waits for the peer to drain Kestrel's bounded output buffer: a slow reader
/// slows the session down instead of growing memory.
/// </summary>
internal sealed class ResponseWriter
{
    private const int FlushThreshold = 64 * 1024;
    private PipeWriter _output;
    private ImapWriter _imap;
    private Stream? _stream;
    private long _flushedAt;

    public ResponseWriter(PipeWriter output)
    {
        _output = output;
        _imap = new ImapWriter(output, ImapWriterOptions.Server);
    }

    /// <summary>Switches to a new pipe, after STARTTLS.</summary>
    public void Replace(PipeWriter output)
    {
        _output = output;
        _imap = new ImapWriter(output, ImapWriterOptions.Server);
        _stream = null;
        _flushedAt = 0;
    }

    /// <summary>The pipe as a stream, for content copied in chunks (message sections); each write flushes.</summary>
    public Stream Stream => _stream ??= _output.AsStream(leaveOpen: true);

    public ResponseWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        _imap.Raw(bytes);
        return this;
    }

    public ResponseWriter Ascii(string text)
    {
        _imap.Raw(text);
        return this;
    }

    public ResponseWriter Number(long value)
    {
        _imap.Number((ulong)value);
        return this;
    }

    public ResponseWriter Space() => Bytes(" "u8);

    public ResponseWriter EndLine() => Bytes("\r\n"u8);

    /// <summary>A string as quoted when it is safe to, otherwise as a literal (RFC 3501 §4.3).</summary>
    public ResponseWriter AString(string value)
    {
        _imap.String(value);
        return this;
    }

    public ResponseWriter NString(string? value)
    {
        _imap.Nstring(value);
        return this;
    }

    public ResponseWriter QuotedOrLiteral(ReadOnlySpan<byte> bytes)
    {
        _imap.String(bytes);
        return this;
    }

    public ResponseWriter Literal(ReadOnlySpan<byte> bytes)
    {
        _imap.Literal(bytes);
        return this;
    }

    /// <summary>Only the <c>{n}</c> CRLF of a literal whose bytes follow through <see cref="Stream"/>.</summary>
    public ResponseWriter LiteralHeader(long length) => Bytes("{"u8).Number(length).Bytes("}\r\n"u8);

    public ResponseWriter Literal(ReadOnlySequence<byte> bytes)
    {
        LiteralHeader(bytes.Length);
        foreach (var segment in bytes)
        {
            Bytes(segment.Span);
        }
        return this;
    }

    /// <summary>A whole untagged line: <c>* text</c>.</summary>
    public ResponseWriter Untagged(string text) => Bytes("* "u8).Ascii(text).EndLine();

    public ResponseWriter Continuation(string text)
    {
        _imap.Continuation(text);
        return this;
    }

    public ResponseWriter Tagged(string tag, CommandResult result)
    {
        _imap.StatusResponse(tag, result.Outcome switch
        {
            CommandOutcome.Ok => ImapStatus.Ok,
            CommandOutcome.No => ImapStatus.No,
            _ => ImapStatus.Bad,
        }, result.Code, result.Text);
        return this;
    }

    /// <summary>Flushes only once enough is buffered; call between items of a long response.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancellationToken) =>
        _imap.BytesWritten - _flushedAt >= FlushThreshold ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Sends what is buffered, waiting while the peer is not reading (backpressure).</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _flushedAt = _imap.BytesWritten;
        var result = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new ConnectionClosedException();
        }
    }
}

/// <summary>The peer went away while we were writing or reading; ends the session quietly.</summary>
internal sealed class ConnectionClosedException : Exception
{
    public ConnectionClosedException() : base("connection closed by peer")
    {
    }
}
