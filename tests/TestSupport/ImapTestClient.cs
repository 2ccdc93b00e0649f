using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using ImapProxy.Protocol;

namespace ImapProxy.TestSupport;

/// <summary>
/// A minimal IMAP client built on the wire library (<see cref="ImapCommandBuilder"/> out,
/// <see cref="ImapFrameReader"/> and <see cref="ImapResponse"/> in), for tests that talk to Dovecot or to our
/// own server and want parsed responses. No policy: one command at a time, tags "T1", "T2", ...
/// </summary>
public sealed class ImapTestClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly ImapFrameReader _frames = new(FrameKind.Responses);
    private readonly string _peer;
    private int _tag;

    private ImapTestClient(TcpClient client, string peer)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = PipeReader.Create(_stream);
        _peer = peer;
    }

    /// <summary>The greeting (untagged OK, PREAUTH or BYE).</summary>
    public ImapResponse Greeting { get; private set; } = null!;

    /// <summary>
    /// How long one response (or the connect, or a write) may take before the test fails with a
    /// <see cref="TimeoutException"/> instead of hanging.
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connects and reads the greeting.</summary>
    public static async Task<ImapTestClient> ConnectAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            var peer = host + ":" + port.ToString(CultureInfo.InvariantCulture);
            await client.ConnectWithinAsync(host, port, cancellationToken);
            var imap = new ImapTestClient(client, peer);
            imap.Greeting = await imap.ReadResponseAsync(cancellationToken);
            return imap;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends command <paramref name="name"/> with arguments written by <paramref name="arguments"/> (each preceded
    /// by <see cref="ImapWriter.Space"/>), answers continuation requests for synchronizing literals, and reads up to
    /// the tagged completion.
    /// </summary>
    public async Task<ImapCommandResult> RunAsync(
        string name, Action<ImapWriter>? arguments = null, CancellationToken cancellationToken = default)
    {
        var tag = "T" + (++_tag).ToString(CultureInfo.InvariantCulture);
        var builder = new ImapCommandBuilder(tag, name);
        arguments?.Invoke(builder.Writer);
        var segments = builder.Build();
        var untagged = new List<ImapResponse>();
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            await BoundAsync(async token => { await _stream.WriteAsync(segment, token); return 0; },
                () => $"a write of {segment.Length} bytes to be taken (the server reads nothing)", cancellationToken);
            if (i == segments.Count - 1)
            {
                break;
            }
            // Wait for "+" before the literal's bytes; a tagged answer instead means the command was refused.
            while (true)
            {
                var response = await ReadResponseAsync(cancellationToken);
                if (response.Kind == ImapResponseKind.Continuation)
                {
                    break;
                }
                if (response.Tag == tag)
                {
                    return new ImapCommandResult(untagged, response);
                }
                untagged.Add(response);
            }
        }
        while (true)
        {
            var response = await ReadResponseAsync(cancellationToken);
            if (response.Tag == tag)
            {
                return new ImapCommandResult(untagged, response);
            }
            untagged.Add(response);
        }
    }

    /// <summary>Reads the next whole response.</summary>
    public Task<ImapResponse> ReadResponseAsync(CancellationToken cancellationToken = default)
    {
        var pending = 0L;
        return BoundAsync(token => ReadResponseAsync(length => pending = length, token),
            () => $"a whole response ({pending} bytes of one received)", cancellationToken);
    }

    private async Task<ImapResponse> ReadResponseAsync(Action<long> received, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await _reader.ReadAsync(cancellationToken);
            received(read.Buffer.Length);
            var frame = _frames.Read(read.Buffer);
            if (frame.Status == FrameStatus.Complete)
            {
                var parsed = ImapResponse.TryParse(frame, null, out var response, out var error);
                var raw = frame.Frame.ToArray();
                _reader.AdvanceTo(frame.Consumed, frame.Examined);
                return parsed
                    ? response!
                    : throw new InvalidDataException($"unparsable response ({error}): {System.Text.Encoding.Latin1.GetString(raw)}");
            }
            if (frame.Status == FrameStatus.Error)
            {
                throw new InvalidDataException($"bad response framing: {frame.Error}");
            }
            _reader.AdvanceTo(frame.Consumed, frame.Examined);
            if (read.IsCompleted)
            {
                throw new IOException("connection closed before a whole response arrived");
            }
        }
    }

    /// <summary>Runs one step under <see cref="ReadTimeout"/>.</summary>
    private Task<T> BoundAsync<T>(Func<CancellationToken, Task<T>> step, Func<string> what, CancellationToken cancellationToken) =>
        Bounded.StepAsync(step, ReadTimeout, () => $"{what()} ({_peer})", cancellationToken);

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        _client.Dispose();
    }
}

/// <summary>The responses to one command: untagged (and continuation) responses, then the tagged completion.</summary>
public sealed record ImapCommandResult(IReadOnlyList<ImapResponse> Untagged, ImapResponse Completion)
{
    /// <summary>True when the completion is OK.</summary>
    public bool IsOk => Completion.IsOk;

    /// <summary>The untagged responses named <paramref name="name"/> (EXISTS, FETCH, CAPABILITY, ...).</summary>
    public IEnumerable<ImapResponse> Named(string name) =>
        Untagged.Where(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
