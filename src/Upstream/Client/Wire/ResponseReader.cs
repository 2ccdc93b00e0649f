using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;

namespace ImapProxy.Upstream.Client.Wire;

/// <summary>Chooses where a literal goes: a stream (a message body being downloaded) or, when null, memory.</summary>
internal interface ILiteralRouter
{
    /// <summary>
    /// Called when a literal of <paramref name="length"/> bytes starts; <paramref name="prefix"/> is the response so
    /// far (e.g. <c>* 5 FETCH (UID 7 BODY[] </c>). Returns a sink for the literal, or null to keep it in memory.
    /// </summary>
    ValueTask<Stream?> RouteAsync(ReadOnlyMemory<byte> prefix, long length, CancellationToken cancellationToken);
}

/// <summary>
/// Cuts the server's byte stream into whole responses (a line, plus literals and their continuation lines),
/// enforcing the line, literal and response limits so that a hostile server cannot make us buffer without end.
/// This is framing only; the grammar of the response is parsed by ImapProtocol.
/// </summary>
internal sealed class ResponseReader(PipeReader input, UpstreamOptions options)
{
    private const int CopyChunk = 1 << 16;

    /// <summary>Where FETCH body literals go; null keeps every literal in memory.</summary>
    public ILiteralRouter? Router { get; set; }

    /// <summary>Environment.TickCount64 of the last bytes received (for the read timeout).</summary>
    public long LastActivity { get; private set; } = Environment.TickCount64;

    /// <summary>The pipe, replaced after STARTTLS and COMPRESS.</summary>
    public PipeReader Input { get; set; } = input;

    /// <summary>Reads the next whole response. Throws <see cref="ImapProtocolException"/> on bad framing or EOF.</summary>
    public async ValueTask<ResponseFrame> ReadAsync(CancellationToken cancellationToken)
    {
        var frame = new ResponseFrame();
        try
        {
            long inMemoryLimit = (long)options.MaxInMemoryLiteral + options.MaxLineLength;
            while (true)
            {
                var lineStart = frame.Length;
                await ReadLineAsync(frame, cancellationToken).ConfigureAwait(false);
                if (!TryGetLiteralLength(frame.Span[lineStart..], out var length, out var headerStart)) return frame;
                if (length > options.MaxLiteralSize)
                    throw new ImapProtocolException($"server announced a literal of {length} bytes, above the limit of {options.MaxLiteralSize}");
                var sink = Router is null || !LooksLikeBodySection(frame.Span[..(lineStart + headerStart)])
                    ? null
                    : await Router.RouteAsync(frame.Memory[..(lineStart + headerStart)], length, cancellationToken).ConfigureAwait(false);
                if (sink is null)
                {
                    if (frame.Length + length > inMemoryLimit)
                        throw new ImapProtocolException($"server response exceeds {inMemoryLimit} bytes in memory (a literal of {length} bytes)");
                    await CopyLiteralAsync(frame, null, length, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // The parser sees an empty literal; the bytes went to the sink.
                    frame.Truncate(lineStart + headerStart);
                    frame.Append("{0}\r\n"u8);
                    await CopyLiteralAsync(null, sink, length, cancellationToken).ConfigureAwait(false);
                    frame.StreamedLength = Math.Max(0, frame.StreamedLength) + length;
                }
            }
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    private async ValueTask ReadLineAsync(ResponseFrame frame, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            LastActivity = Environment.TickCount64;
            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is { } end)
            {
                var line = buffer.Slice(0, buffer.GetPosition(1, end));
                if (line.Length > options.MaxLineLength) Fail(line.Length);
                frame.Append(line);
                Input.AdvanceTo(line.End);
                return;
            }
            if (buffer.Length > options.MaxLineLength) Fail(buffer.Length);
            if (result.IsCompleted || result.IsCanceled)
            {
                Input.AdvanceTo(buffer.Start, buffer.End);
                throw new ImapProtocolException(buffer.Length == 0 && frame.Length == 0
                    ? "server closed the connection"
                    : "server closed the connection in the middle of a response");
            }
            Input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private void Fail(long length)
        => throw new ImapProtocolException($"server sent a line longer than {options.MaxLineLength} bytes ({length} so far)");

    private async ValueTask CopyLiteralAsync(ResponseFrame? frame, Stream? sink, long length, CancellationToken cancellationToken)
    {
        var remaining = length;
        while (remaining > 0)
        {
            var result = await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            LastActivity = Environment.TickCount64;
            var buffer = result.Buffer;
            if (buffer.IsEmpty && (result.IsCompleted || result.IsCanceled))
                throw new ImapProtocolException($"server closed the connection in the middle of a literal ({remaining} of {length} bytes missing)");
            var take = buffer.Slice(0, Math.Min(remaining, Math.Min(buffer.Length, sink is null ? long.MaxValue : CopyChunk * 4)));
            if (sink is null) frame!.Append(take);
            else
            {
                foreach (var segment in take)
                    await sink.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
            }
            remaining -= take.Length;
            Input.AdvanceTo(take.End);
        }
    }

    /// <summary>
    /// Finds a literal header <c>{n}</c>, <c>{n+}</c> or <c>~{n}</c> (RFC 3516) at the end of a line and returns
    /// its length and where the header starts.
    /// </summary>
    internal static bool TryGetLiteralLength(ReadOnlySpan<byte> line, out long length, out int headerStart)
    {
        length = 0;
        headerStart = 0;
        var end = line.Length - 1; // '\n'
        if (end > 0 && line[end - 1] == (byte)'\r') end--;
        if (end < 3 || line[end - 1] != (byte)'}') return false;
        var close = end - 1;
        var digitsEnd = close;
        if (line[digitsEnd - 1] == (byte)'+') digitsEnd--;
        var open = line[..digitsEnd].LastIndexOf((byte)'{');
        if (open < 0 || digitsEnd - open < 2 || digitsEnd - open > 20) return false;
        var digits = line[(open + 1)..digitsEnd];
        foreach (var b in digits)
            if (b is < (byte)'0' or > (byte)'9') return false;
        if (!Utf8Parser.TryParse(digits, out length, out var consumed) || consumed != digits.Length) return false;
        headerStart = open > 0 && line[open - 1] == (byte)'~' ? open - 1 : open;
        return true;
    }

    /// <summary>True when the response so far ends with a message body item: <c>BODY[…]</c>, <c>BINARY[…]</c>,
    /// an origin <c>&lt;n&gt;</c>, or <c>RFC822</c>, then a space.</summary>
    internal static bool LooksLikeBodySection(ReadOnlySpan<byte> prefix)
    {
        prefix = prefix.TrimEnd((byte)' ');
        if (prefix.EndsWith("RFC822"u8) || prefix.EndsWith("RFC822.TEXT"u8)) return true;
        if (prefix.Length > 0 && prefix[^1] == (byte)'>')
        {
            var lt = prefix.LastIndexOf((byte)'<');
            if (lt < 0) return false;
            prefix = prefix[..lt];
        }
        if (prefix.Length == 0 || prefix[^1] != (byte)']') return false;
        var bracket = prefix.LastIndexOf((byte)'[');
        if (bracket < 0) return false;
        var name = prefix[..bracket];
        return name.EndsWith("BODY"u8) || name.EndsWith("BINARY"u8);
    }
}
