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
        var serverOutput = new FlushHook(toClient.Writer, flush => flush == 2 ? clientHelloSent.Task : Task.CompletedTask);
        var clientOutput = new FlushHook(toServer.Writer, _ =>
        {
            clientHelloSent.TrySetResult();
            return Task.CompletedTask;
        });
        var options = new ServerOptions { Certificate = TestCertificate.Create() };
        var transport = new ConnectionTransport(new Duplex(toServer.Reader, serverOutput), IsLoopback: true, IsTls: false, "test", CanStartTls: true);
        var session = new ImapSession(transport, options, new Nobody(), NullLogger.Instance);
        using var closed = new CancellationTokenSource();
        var running = Task.Run(() => session.RunAsync(closed.Token));

        Assert.Contains("STARTTLS", await ReadLineAsync(toClient.Reader));
        await toServer.Writer.WriteAsync(Encoding.ASCII.GetBytes("a1 STARTTLS\r\n")); // not through the hook: no hello yet
        Assert.Equal("a1 OK Begin TLS negotiation now", await ReadLineAsync(toClient.Reader));

        await using var tls = new SslStream(new DuplexPipeStream(new Duplex(toClient.Reader, clientOutput)), leaveInnerStreamOpen: false, (_, _, _, _) => true);
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

    /// <summary>A pipe writer that runs a hook after each flush, given the flush's number (1 for the first).</summary>
    private sealed class FlushHook(PipeWriter inner, Func<int, Task> afterFlush) : PipeWriter
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
            await afterFlush(Interlocked.Increment(ref _flushes)).WaitAsync(cancellationToken);
            return result;
        }
    }
}
