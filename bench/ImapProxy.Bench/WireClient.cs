using System.Net.Sockets;
using System.Text;

namespace ImapProxy.Bench;

/// <summary>
/// A minimal IMAP client for timing servers: sends command lines as they are and reads until a tagged reply,
/// skipping literals by their announced size. It keeps nothing but the reply line and counts, so the client's own
/// cost is a small, equal share for every server it measures.
/// </summary>
internal sealed class WireClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private byte[] _line = new byte[4096];
    private int _start;
    private int _end;
    private int _nextTag;

    private WireClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>Bytes received since connecting.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Connects and reads the greeting.</summary>
    public static async Task<WireClient> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port);
        var wire = new WireClient(client);
        await wire.ReadLineAsync();
        return wire;
    }

    /// <summary>
    /// Sends the commands in one write (pipelined) and waits for the last one's tagged reply.
    /// Returns the untagged responses seen; throws when any command does not answer OK.
    /// </summary>
    public async Task<int> PipelineAsync(params string[] commands)
    {
        var tags = new string[commands.Length];
        var text = new StringBuilder();
        for (int i = 0; i < commands.Length; i++)
        {
            tags[i] = "b" + (++_nextTag);
            text.Append(tags[i]).Append(' ').Append(commands[i]).Append("\r\n");
        }
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()));
        int untagged = 0;
        int done = 0;
        while (done < commands.Length)
        {
            int length = await ReadLineAsync();
            var line = _line.AsSpan(0, length);
            if (line.StartsWith("* "u8))
            {
                untagged++;
                continue;
            }
            var tag = Encoding.ASCII.GetBytes(tags[done] + " ");
            if (line.StartsWith(tag))
            {
                if (!line[tag.Length..].StartsWith("OK"u8))
                {
                    throw new InvalidOperationException($"{commands[done]} failed: {Encoding.Latin1.GetString(line)}");
                }
                done++;
            }
        }
        return untagged;
    }

    /// <summary>Reads one response line into <c>_line</c> (literals skipped, CRLF dropped); returns its length.</summary>
    private async Task<int> ReadLineAsync()
    {
        int length = 0;
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync();
            }
            var available = _buffer.AsSpan(_start, _end - _start);
            int newline = available.IndexOf((byte)'\n');
            var take = newline < 0 ? available : available[..(newline + 1)];
            if (length + take.Length > _line.Length)
            {
                Array.Resize(ref _line, Math.Max(_line.Length * 2, length + take.Length));
            }
            take.CopyTo(_line.AsSpan(length));
            length += take.Length;
            _start += take.Length;
            if (newline < 0)
            {
                continue;
            }
            length -= length >= 2 && _line[length - 2] == '\r' ? 2 : 1;
            if (TryGetLiteralSize(_line.AsSpan(0, length), out long size))
            {
                await SkipAsync(size);
                continue; // the response goes on after the literal
            }
            return length;
        }
    }

    private static bool TryGetLiteralSize(ReadOnlySpan<byte> line, out long size)
    {
        size = 0;
        if (line.Length < 3 || line[^1] != '}')
        {
            return false;
        }
        int open = line.LastIndexOf((byte)'{');
        return open >= 0 && long.TryParse(line[(open + 1)..^1].TrimEnd("+"u8), out size);
    }

    private async Task SkipAsync(long size)
    {
        while (size > 0)
        {
            if (_start == _end)
            {
                await FillAsync();
            }
            int n = (int)Math.Min(size, _end - _start);
            _start += n;
            size -= n;
        }
    }

    private async Task FillAsync()
    {
        int n = await _stream.ReadAsync(_buffer);
        if (n == 0)
        {
            throw new IOException("server closed the connection");
        }
        BytesReceived += n;
        _start = 0;
        _end = n;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
