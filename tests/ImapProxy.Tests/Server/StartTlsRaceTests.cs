using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Text;
using ImapProxy.Server;
using ImapProxy.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImapProxy.Tests.Server;

/// <summary>
/// STARTTLS when the client's ClientHello is already waiting before the server resumes after sending its OK: on a
/// loaded machine a fast client does exactly that. The server once discarded "leftover plain text" only after the OK
/// went out, swallowed the ClientHello with it, and both sides waited for each other (a CI hang, 2026-11-22).
/// </summary>
public sealed class StartTlsRaceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_client_hello_that_arrives_before_the_server_resumes_is_not_thrown_away()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var clientHelloSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Flush 1 is the greeting, flush 2 the STARTTLS OK: hold the server there until the client's hello is queued.
        var serverOutput = new FlushGate(toClient.Writer, holdFlushNumber: 2, clientHelloSent.Task);
        var options = new ServerOptions { Certificate = TestCertificate.Create() };
        var transport = new ConnectionTransport(new Duplex(toServer.Reader, serverOutput), IsLoopback: true, IsTls: false, "test", CanStartTls: true);
        var session = new ImapSession(transport, options, new Nobody(), NullLogger.Instance);
        using var closed = new CancellationTokenSource();
        var running = Task.Run(() => session.RunAsync(closed.Token));

        Assert.Contains("STARTTLS", await ReadLineAsync(toClient.Reader));
        await toServer.Writer.WriteAsync(Encoding.ASCII.GetBytes("a1 STARTTLS\r\n"));
        Assert.Equal("a1 OK Begin TLS negotiation now", await ReadLineAsync(toClient.Reader));

        await using var tls = new SslStream(new ClientSide(toClient.Reader, toServer.Writer, clientHelloSent), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }).WaitAsync(Patience);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("a2 CAPABILITY\r\n"));
        var reply = await ReadAllUntilAsync(tls, "a2 ");
        Assert.Contains("* CAPABILITY IMAP4rev1", reply);
        Assert.DoesNotContain("STARTTLS", reply);
        Assert.Contains("a2 OK", reply);

        await closed.CancelAsync();
        await toServer.Writer.CompleteAsync();
        await running.WaitAsync(Patience);
    }

    private static async Task<string> ReadLineAsync(PipeReader reader)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var result = await reader.ReadAsync(timeout.Token);
            if (result.Buffer.PositionOf((byte)'\n') is { } newline)
            {
                var line = Encoding.ASCII.GetString(result.Buffer.Slice(0, newline).ToArray()).TrimEnd('\r');
                reader.AdvanceTo(result.Buffer.GetPosition(1, newline));
                return line;
            }
            Assert.False(result.IsCompleted, "the server closed the connection");
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static async Task<string> ReadAllUntilAsync(Stream stream, string tagPrefix)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var text = new StringBuilder();
        var chunk = new byte[4096];
        while (!text.ToString().Contains("\r\n" + tagPrefix, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(chunk, timeout.Token);
            Assert.NotEqual(0, read);
            text.Append(Encoding.ASCII.GetString(chunk, 0, read));
        }
        return text.ToString();
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private sealed class Nobody : IAccountResolver
    {
        public ValueTask<ImapProxy.Store.AccountStore?> AuthenticateAsync(string user, string password, CancellationToken cancellationToken) =>
            ValueTask.FromResult<ImapProxy.Store.AccountStore?>(null);

        public IEnumerable<ImapProxy.Store.AccountStore> Stores => [];
    }

    /// <summary>The server's output pipe; one chosen flush returns only once the client's hello is queued.</summary>
    private sealed class FlushGate(PipeWriter inner, int holdFlushNumber, Task release) : PipeWriter
    {
        private int _flushes;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.FlushAsync(cancellationToken);
            if (Interlocked.Increment(ref _flushes) == holdFlushNumber)
            {
                await release.WaitAsync(cancellationToken);
            }
            return result;
        }
    }

    /// <summary>The client's end of the two pipes, as the stream its SslStream runs on.</summary>
    private sealed class ClientSide(PipeReader input, PipeWriter output, TaskCompletionSource wroteSomething) : Stream
    {
        private readonly Stream _input = input.AsStream(leaveOpen: true);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _input.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _input.ReadAsync(buffer, offset, count, cancellationToken);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await output.WriteAsync(buffer, cancellationToken);
            wroteSomething.TrySetResult();
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
