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
    private int _tag;

    private ImapTestClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = PipeReader.Create(_stream);
    }

    /// <summary>The greeting (untagged OK, PREAUTH or BYE).</summary>
    public ImapResponse Greeting { get; private set; } = null!;

    /// <summary>How long one response may take before the test fails instead of hanging.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connects and reads the greeting.</summary>
    public static async Task<ImapTestClient> ConnectAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            var imap = new ImapTestClient(client);
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
            await _stream.WriteAsync(segments[i], cancellationToken);
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
    public async Task<ImapResponse> ReadResponseAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        while (true)
        {
            var read = await _reader.ReadAsync(timeout.Token);
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
