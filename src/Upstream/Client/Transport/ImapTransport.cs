using System.IO.Compression;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace ImapProxy.Upstream.Client.Transport;

/// <summary>
/// The byte pipe to the server: a TCP socket, optionally TLS (implicit or upgraded by STARTTLS) and optionally
/// DEFLATE-compressed. Knows nothing about IMAP; the client reads <see cref="Input"/> and writes <see cref="Output"/>.
/// </summary>
internal sealed class ImapTransport : IAsyncDisposable
{
    private readonly UpstreamOptions _options;
    private readonly Socket? _socket;
    private Stream _stream;
    private int _disposed;

    private ImapTransport(UpstreamOptions options, Socket? socket, Stream stream)
    {
        _options = options;
        _socket = socket;
        _stream = stream;
        (Input, Output) = CreatePipes(stream);
    }

    /// <summary>Bytes from the server.</summary>
    public PipeReader Input { get; private set; }

    /// <summary>Bytes to the server.</summary>
    public PipeWriter Output { get; private set; }

    /// <summary>True once TLS is active.</summary>
    public bool IsEncrypted { get; private set; }

    /// <summary>True once COMPRESS=DEFLATE is active.</summary>
    public bool IsCompressed { get; private set; }

    /// <summary>Wraps an already connected stream (tests, or an SSH tunnel); no TLS.</summary>
    public static ImapTransport FromStream(UpstreamOptions options, Stream stream) => new(options, null, stream);

    /// <summary>Connects by TCP and, for implicit TLS, authenticates the server.</summary>
    public static async Task<ImapTransport> ConnectAsync(UpstreamOptions options, CancellationToken cancellationToken)
    {
        CheckPlaintextAllowed(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var endpoint = $"{options.Host}:{options.EffectivePort}";
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            ConfigureSocket(socket);
            await socket.ConnectAsync(options.Host, options.EffectivePort, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ImapConnectionException($"connecting to {endpoint} timed out after {options.ConnectTimeout.TotalSeconds:0.#} s", permanent: false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ImapConnectionException($"cannot connect to {endpoint}: {e.Message} ({e.SocketErrorCode})", permanent: false, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var transport = new ImapTransport(options, socket, new NetworkStream(socket, ownsSocket: true));
        if (options.Tls == TlsMode.Implicit)
        {
            try { await transport.StartTlsAsync(timeout.Token).ConfigureAwait(false); }
            catch
            {
                await transport.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        return transport;
    }

    private static void ConfigureSocket(Socket socket)
    {
        socket.NoDelay = true;
        // Keepalive finds a dead peer during a long IDLE, where no read timeout runs.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 60);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 15);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 4);
    }

    /// <summary>Refuses plaintext to a non-loopback host unless explicitly allowed.</summary>
    internal static void CheckPlaintextAllowed(UpstreamOptions options)
    {
        if (options.Tls != TlsMode.None || options.AllowPlaintext || IsLoopback(options.Host)) return;
        throw new ImapConnectionException(
            $"refusing to connect to {options.Host} without TLS: tls = none is only allowed for loopback hosts unless allowplaintext = yes",
            permanent: true);
    }

    private static bool IsLoopback(string host)
        => host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// Authenticates the server over the current stream. For STARTTLS the caller must have checked that no byte
    /// followed the tagged OK: anything buffered before the handshake would be an injection.
    /// </summary>
    public async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        var policy = new CertificatePolicy(_options.Host, _options.Fingerprint);
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, policy.Validate);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = _options.Host,
                ApplicationProtocols = [new SslApplicationProtocol("imap")],
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException e)
        {
            throw new ImapConnectionException(
                $"TLS with {_options.Host}:{_options.EffectivePort} failed: {policy.RefusalReason ?? e.Message}", permanent: policy.RefusalReason is not null, e);
        }
        catch (IOException e)
        {
            throw new ImapConnectionException($"TLS with {_options.Host}:{_options.EffectivePort} failed: {e.Message}", permanent: false, e);
        }
        Replace(ssl);
        IsEncrypted = true;
    }

    /// <summary>
    /// Switches both directions to raw DEFLATE (RFC 4978). <paramref name="alreadyRead"/> holds bytes the reader had
    /// buffered past the tagged OK: they are already compressed data.
    /// </summary>
    public void StartCompression(ReadOnlyMemory<byte> alreadyRead)
    {
        Replace(new DeflateDuplexStream(_stream, alreadyRead));
        IsCompressed = true;
    }

    private void Replace(Stream stream)
    {
        // The old pipes leave the stream open; they hold nothing (the caller checked), so completing them is safe.
        Input.Complete();
        Output.Complete();
        _stream = stream;
        (Input, Output) = CreatePipes(stream);
    }

    private static (PipeReader, PipeWriter) CreatePipes(Stream stream)
        => (PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 16384, leaveOpen: true)),
            PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16384, leaveOpen: true)));

    /// <summary>Closes everything, once (the reader loop and the client's disposal both call it); never throws.</summary>
    /// <remarks>
    /// The output pipe is left as it is, not completed: completing it writes out what it still holds, and it is not
    /// thread-safe. The reader loop closes the transport while a sender may still be inside its flush of bytes the
    /// socket already took (the server answered LOGOUT that fast), and completing then sent the command a second
    /// time into the closed connection. Every sender flushes its own command, so nothing is owed at close.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try { await Input.CompleteAsync().ConfigureAwait(false); } catch (Exception) { }
        try { _socket?.Shutdown(SocketShutdown.Both); } catch (Exception) { }
        try { await _stream.DisposeAsync().ConfigureAwait(false); } catch (Exception) { }
        _socket?.Dispose();
    }
}
