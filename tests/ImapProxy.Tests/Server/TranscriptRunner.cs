using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using ImapProxy.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImapProxy.Tests.Server;

/// <summary>How the client's bytes reach the server.</summary>
public enum FeedMode
{
    /// <summary>Each run of client lines in one write.</summary>
    Whole,

    /// <summary>One byte per write, flushed each time.</summary>
    ByteAtATime,
}

/// <summary>Plays a <see cref="Transcript"/> against a session over an in-memory duplex pipe.</summary>
internal sealed class TranscriptRunner
{
    // Generous for a loaded machine (byte-by-byte feeding on 2 cores at a load of 50); a hang still fails well
    // before the blame collector's 5 minutes.
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(string transcriptText, FeedMode mode, IAccountResolver accounts, ServerOptions? options = null,
        bool loopback = true)
    {
        var transcript = Transcript.Parse(transcriptText);
        await using var connection = InMemoryConnection.Start(accounts, options ?? TestServerOptions(), loopback);
        var bound = new Dictionary<string, string>();
        var received = new List<string>();
        foreach (var step in transcript.Steps)
        {
            if (step.Kind == Transcript.StepKind.Client)
            {
                await connection.SendAsync(Transcript.Substitute(step.Text, bound), mode);
                continue;
            }
            var line = await connection.ReadLineAsync(LineTimeout)
                ?? throw new Xunit.Sdk.XunitException(
                    $"[{mode}] server closed or sent no line for {LineTimeout.TotalSeconds:0} s; expected: {step.Text}\nreceived so far:\n{string.Join("\n", received)}");
            received.Add(line);
            if (!Transcript.Matches(step.Text, line, bound))
            {
                throw new Xunit.Sdk.XunitException(
                    $"[{mode}] expected: {step.Text}\n[{mode}] actual:   {line}\nreceived so far:\n{string.Join("\n", received)}");
            }
        }
        var extra = await connection.ReadLineAsync(TimeSpan.FromMilliseconds(150));
        if (extra is not null)
        {
            throw new Xunit.Sdk.XunitException($"[{mode}] unexpected extra line: {extra}");
        }
    }

    public static ServerOptions TestServerOptions() => new() { FailedLoginDelay = TimeSpan.FromMilliseconds(10) };
}

/// <summary>A session on in-memory pipes, with a client side that writes and reads lines.</summary>
internal sealed class InMemoryConnection : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly Task _session;
    private readonly CancellationTokenSource _closed = new();

    private InMemoryConnection(IAccountResolver accounts, ServerOptions options, bool loopback, ILogger? logger)
    {
        var transport = new ConnectionTransport(new DuplexPipe(_toServer.Reader, _toClient.Writer), loopback, IsTls: false, "test", CanStartTls: options.Certificate is not null);
        var session = new ImapSession(transport, options, accounts, logger ?? NullLogger.Instance);
        _session = Task.Run(async () =>
        {
            await session.RunAsync(_closed.Token);
            await _toClient.Writer.CompleteAsync();
        });
    }

    public static InMemoryConnection Start(IAccountResolver accounts, ServerOptions options, bool loopback, ILogger? logger = null) =>
        new(accounts, options, loopback, logger);

    /// <summary>Sends raw bytes in one write.</summary>
    public async Task SendBytesAsync(byte[] bytes) => await _toServer.Writer.WriteAsync(bytes);

    /// <summary>The client closes its side: the session sees the end of its input.</summary>
    public async Task CloseInputAsync() => await _toServer.Writer.CompleteAsync();

    public Task SessionTask => _session;

    public async Task SendAsync(string text, FeedMode mode)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (mode == FeedMode.Whole)
        {
            await _toServer.Writer.WriteAsync(bytes);
            return;
        }
        foreach (var b in bytes)
        {
            await _toServer.Writer.WriteAsync(new[] { b });
        }
    }

    /// <summary>The next CRLF-terminated line from the server (without CRLF), or null on timeout or end.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var reader = _toClient.Reader;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            var buffer = result.Buffer;
            var position = buffer.PositionOf((byte)'\n');
            if (position is { } newline)
            {
                var line = buffer.Slice(0, newline);
                var text = Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r');
                reader.AdvanceTo(buffer.GetPosition(1, newline));
                return text;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        _closed.Cancel();
        await Task.WhenAny(_session, Task.Delay(5000));
        _closed.Dispose();
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
