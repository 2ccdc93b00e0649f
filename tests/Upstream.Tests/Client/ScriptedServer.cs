using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Tests.Client;

/// <summary>
/// A tiny IMAP server on loopback that plays a transcript: <c>S: line</c> is sent (with CRLF; <c>\r\n</c> escapes
/// allowed), <c>C: line</c> must be what the client sends next, <c>S!: bytes</c> is sent without CRLF,
/// <c>CLOSE</c> drops the connection. Tags are placeholders: <c>$a</c> in a C: line binds the client's tag,
/// later S: lines use it. Lines starting with # are comments.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<string> _script;
    private readonly Task _run;
    private readonly List<string> _received = [];
    private readonly TaskCompletionSource _played = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ScriptedServer(IEnumerable<string> script)
    {
        _script = script.Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        _listener.Start();
        _run = Task.Run(RunAsync);
    }

    public static ScriptedServer FromText(string transcript) => new(transcript.Replace("\r\n", "\n").Split('\n'));

    public static ScriptedServer FromFile(string relative)
        => new(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Client", "Transcripts", relative)));

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Lines the client sent.</summary>
    public IReadOnlyList<string> Received => _received;

    public UpstreamOptions Options(Func<UpstreamOptions, UpstreamOptions>? tweak = null)
    {
        var options = new UpstreamOptions
        {
            Host = "127.0.0.1", Port = Port, Tls = TlsMode.None, User = "user", Password = "secret-pw",
            ReadTimeout = TimeSpan.FromSeconds(10), ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        return tweak is null ? options : tweak(options);
    }

    /// <summary>Waits until the whole script was played; throws what went wrong.</summary>
    public async Task CompletedAsync()
    {
        await Task.WhenAny(_played.Task, _run).WaitAsync(TimeSpan.FromSeconds(20));
        if (_run.IsFaulted) await _run;
    }

    private async Task RunAsync()
    {
        using var socket = await _listener.AcceptSocketAsync();
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new LineReader(stream);
        var tags = new Dictionary<string, string>();
        foreach (var entry in _script)
        {
            if (entry == "CLOSE")
            {
                socket.Shutdown(SocketShutdown.Both);
                _played.TrySetResult();
                return;
            }
            if (entry.StartsWith("S!: ", StringComparison.Ordinal))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(Substitute(entry[4..], tags)));
                continue;
            }
            if (entry.StartsWith("S: ", StringComparison.Ordinal))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(Substitute(entry[3..], tags) + "\r\n"));
                continue;
            }
            if (!entry.StartsWith("C: ", StringComparison.Ordinal)) throw new InvalidOperationException($"bad script line {entry}");
            var line = await reader.ReadLineAsync() ?? throw new InvalidOperationException($"client closed; expected {entry}");
            _received.Add(line);
            var expected = entry[3..];
            var match = Regex.Match(expected, @"^\$(\w+) ");
            if (match.Success)
            {
                var space = line.IndexOf(' ');
                if (space <= 0) throw new InvalidOperationException($"expected a tagged command matching '{expected}', got '{line}'");
                tags[match.Groups[1].Value] = line[..space];
                expected = line[..space] + expected[(match.Length - 1)..];
            }
            if (Substitute(expected, tags) != line) throw new InvalidOperationException($"expected '{Substitute(expected, tags)}', got '{line}'");
        }
        _played.TrySetResult();
        // Keep the connection open until the client closes it.
        await reader.ReadLineAsync();
    }

    private static string Substitute(string text, Dictionary<string, string> tags)
    {
        text = Regex.Replace(text, @"\$(\w+)", m => tags.TryGetValue(m.Groups[1].Value, out var tag) ? tag : m.Value);
        return text.Replace("\\r\\n", "\r\n", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try { await _run.WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
    }

    /// <summary>Reads CRLF lines byte by byte (the script must see exactly what the client sent, nothing buffered).</summary>
    private sealed class LineReader(Stream stream)
    {
        public async Task<string?> ReadLineAsync()
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                var n = await stream.ReadAsync(one);
                if (n == 0) return bytes.Count == 0 ? null : Encoding.UTF8.GetString(bytes.ToArray());
                if (one[0] == '\n') break;
                bytes.Add(one[0]);
            }
            if (bytes.Count > 0 && bytes[^1] == '\r') bytes.RemoveAt(bytes.Count - 1);
            return Encoding.UTF8.GetString(bytes.ToArray());
        }
    }
}
