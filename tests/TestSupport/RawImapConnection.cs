using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ImapProxy.TestSupport;

/// <summary>
/// A bare IMAP connection for tests that want to see the wire: sends lines, reads response lines with any literals
/// inlined (bytes kept one-to-one as Latin-1 chars). No protocol policy; tags are "A1", "A2", ...
/// </summary>
public sealed class RawImapConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private readonly string _peer;
    private readonly StringBuilder _line = new(); // the line being read, kept for a timeout's message
    private int _tag;

    private RawImapConnection(TcpClient client, string peer)
    {
        _client = client;
        _stream = client.GetStream();
        _peer = peer;
    }

    /// <summary>The server's greeting line (without CRLF).</summary>
    public string Greeting { get; private set; } = "";

    /// <summary>
    /// How long a read (or the connect, or a write) may wait before the test fails with a <see cref="TimeoutException"/>
    /// instead of hanging.
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connects and reads the greeting.</summary>
    public static async Task<RawImapConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            var peer = host + ":" + port.ToString(CultureInfo.InvariantCulture);
            await client.ConnectWithinAsync(host, port, cancellationToken);
            var connection = new RawImapConnection(client, peer);
            connection.Greeting = await connection.ReadResponseLineAsync(cancellationToken);
            return connection;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends raw bytes as they are.</summary>
    public Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        BoundAsync(async token =>
        {
            await _stream.WriteAsync(bytes, token);
            await _stream.FlushAsync(token);
            return 0;
        }, () => $"a write of {bytes.Length} bytes to be taken (the server reads nothing)", cancellationToken);

    /// <summary>Sends one line; CRLF is appended.</summary>
    public Task SendLineAsync(string line, CancellationToken cancellationToken = default) =>
        SendRawAsync(Encoding.Latin1.GetBytes(line + "\r\n"), cancellationToken);

    /// <summary>
    /// Sends "<c>A&lt;n&gt; command</c>" and reads until the tagged completion. Returns all lines; the last is tagged.
    /// </summary>
    public async Task<ImapExchange> CommandAsync(string command, CancellationToken cancellationToken = default)
    {
        var tag = "A" + (++_tag).ToString(CultureInfo.InvariantCulture);
        await SendLineAsync(tag + " " + command, cancellationToken);
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadResponseLineAsync(cancellationToken);
            lines.Add(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return new ImapExchange(tag, lines);
            }
        }
    }

    /// <summary>Reads one response line (CRLF removed), with literal contents inlined after their <c>{n}</c>.</summary>
    public Task<string> ReadResponseLineAsync(CancellationToken cancellationToken = default)
    {
        var result = new StringBuilder();
        return BoundAsync(async token =>
        {
            while (true)
            {
                var line = await ReadLineAsync(token);
                result.Append(line);
                var literalLength = TrailingLiteralLength(line);
                if (literalLength < 0)
                {
                    return result.ToString();
                }
                result.Append("\r\n").Append(await ReadBytesAsync(literalLength, token));
            }
        }, () => $"a whole response line (received so far: \"{Shorten(result.ToString() + _line)}\")", cancellationToken);
    }

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs one step under <see cref="ReadTimeout"/>.</summary>
    private Task<T> BoundAsync<T>(Func<CancellationToken, Task<T>> step, Func<string> what, CancellationToken cancellationToken) =>
        Bounded.StepAsync(step, ReadTimeout, () => $"{what()} ({_peer})", cancellationToken);

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    private static int TrailingLiteralLength(string line)
    {
        if (!line.EndsWith('}'))
        {
            return -1;
        }
        var open = line.LastIndexOf('{');
        if (open < 0)
        {
            return -1;
        }
        var digits = line.AsSpan(open + 1, line.Length - open - 2).TrimEnd('+');
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = _line.Clear();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new IOException($"connection closed mid-line after: {line}");
            }
            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                line.Append(Encoding.Latin1.GetString(span));
                _start = _end;
                continue;
            }
            line.Append(Encoding.Latin1.GetString(span[..newline]));
            _start += newline + 1;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line.Length--;
            }
            var text = line.ToString();
            line.Clear();
            return text;
        }
    }

    private async Task<string> ReadBytesAsync(int count, CancellationToken cancellationToken)
    {
        var bytes = new StringBuilder(count);
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new IOException("connection closed inside a literal");
            }
            var take = Math.Min(count, _end - _start);
            bytes.Append(Encoding.Latin1.GetString(_buffer, _start, take));
            _start += take;
            count -= take;
        }
        return bytes.ToString();
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }
}

/// <summary>One command's response: untagged and continuation lines, then the tagged completion.</summary>
public sealed record ImapExchange(string Tag, IReadOnlyList<string> Lines)
{
    /// <summary>The tagged completion line.</summary>
    public string Completion => Lines[^1];

    /// <summary>True when the completion is "&lt;tag&gt; OK ...".</summary>
    public bool IsOk => Completion.StartsWith(Tag + " OK", StringComparison.Ordinal);

    /// <summary>The untagged ("* ...") lines.</summary>
    public IEnumerable<string> Untagged => Lines.Where(l => l.StartsWith("* ", StringComparison.Ordinal));
}
