using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>A bare-bones IMAP client for tests: raw lines out, raw lines in, optional TLS upgrade.</summary>
internal sealed class LineClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly List<byte> _buffer = new();

    private LineClient(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    public static async Task<LineClient> ConnectAsync(System.Net.IPEndPoint endpoint, bool implicitTls = false, string? alpn = null)
    {
        var tcp = new TcpClient(endpoint.AddressFamily);
        await tcp.ConnectWithinAsync(endpoint.Address.ToString(), endpoint.Port);
        var client = new LineClient(tcp, tcp.GetStream());
        if (implicitTls)
        {
            await client.UpgradeToTlsAsync(alpn);
        }
        return client;
    }

    public async Task UpgradeToTlsAsync(string? alpn = null)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await Bounded.StepAsync(async token =>
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = alpn is null ? null : [new SslApplicationProtocol(alpn)],
            }, token);
            return true;
        }, Bounded.Patience, () => "the server's side of the TLS handshake");
        _stream = ssl;
    }

    public Task SendAsync(string text) =>
        Bounded.StepAsync(async token =>
        {
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), token);
            await _stream.FlushAsync(token);
            return true;
        }, Bounded.Patience, () => $"the server to take \"{text.TrimEnd()}\"");

    /// <summary>The next line without CRLF, or null when the server closed; a <see cref="TimeoutException"/> when none came in time.</summary>
    public Task<string?> ReadLineAsync(TimeSpan? timeout = null) =>
        Bounded.StepAsync(ReadLineAsync, timeout ?? Bounded.Patience,
            () => $"a line from the server (received so far: \"{Encoding.UTF8.GetString([.. _buffer])}\")");

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var chunk = new byte[4096];
        while (true)
        {
            int newline = _buffer.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer.GetRange(0, newline).ToArray()).TrimEnd('\r');
                _buffer.RemoveRange(0, newline + 1);
                return line;
            }
            int read;
            try
            {
                read = await _stream.ReadAsync(chunk, cancellationToken);
            }
            catch (IOException)
            {
                return null;
            }
            if (read == 0)
            {
                return null;
            }
            _buffer.AddRange(chunk.AsSpan(0, read).ToArray());
        }
    }

    /// <summary>Reads lines up to and including the one starting with <paramref name="tag"/>.</summary>
    public async Task<List<string>> ReadUntilTaggedAsync(string tag)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new Xunit.Sdk.XunitException($"connection ended before {tag}: {string.Join("\n", lines)}");
            lines.Add(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return lines;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
