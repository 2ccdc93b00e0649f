using System.Buffers;
using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

public sealed partial class ImapClient
{
    private readonly HashSet<string> _enabled = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Asks CAPABILITY and replaces <see cref="Capabilities"/> with the answer.</summary>
    public async Task<IReadOnlySet<string>> CapabilityAsync(CancellationToken cancellationToken = default)
    {
        await RunOkAsync(new CommandBuilder("CAPABILITY").Raw("CAPABILITY"), exclusive: true, cancellationToken).ConfigureAwait(false);
        return _capabilities;
    }

    /// <summary>NOOP: lets the server report changes (the polling fallback when IDLE is missing).</summary>
    public Task NoopAsync(CancellationToken cancellationToken = default)
        => RunOkAsync(new CommandBuilder("NOOP").Raw("NOOP"), exclusive: false, cancellationToken);

    /// <summary>LOGOUT, then closes the connection. Never throws for a connection that is already gone.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        if (_fault is not null) return;
        _loggingOut = true;
        try { await RunAsync(new CommandBuilder("LOGOUT").Raw("LOGOUT"), exclusive: true, cancellationToken).ConfigureAwait(false); }
        catch (ImapProtocolException) { /* the server may close before the tagged OK */ }
        SetFault(new ImapProtocolException("logged out"));
        await CancelShutdownAsync().ConfigureAwait(false);
    }

    private async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(new CommandBuilder("STARTTLS").Raw("STARTTLS"), exclusive: true, cancellationToken, afterOk: async () =>
        {
            // Bytes after the tagged OK and before the handshake would be a plaintext injection (CVE-2011-0411 style).
            if (_reader.Input.TryRead(out var leftover))
            {
                var injected = leftover.Buffer.Length;
                _reader.Input.AdvanceTo(leftover.Buffer.Start);
                if (injected > 0)
                    throw new ImapProtocolException($"{_options.Host} sent {injected} bytes after accepting STARTTLS, before TLS started; refusing them");
            }
            await AfterOwnWriteAsync(async () =>
            {
                await _transport.StartTlsAsync(_shutdown.Token).ConfigureAwait(false);
                _reader.Input = _transport.Input;
            }).ConfigureAwait(false);
        }).ConfigureAwait(false);
        if (!result.IsOk)
            throw new ImapConnectionException($"{_options.Host} refused STARTTLS: {result.Status} {result.Text}", permanent: true);
        // RFC 3501 §6.2.1: capabilities learned before TLS must be forgotten.
        _capabilities = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Turns on COMPRESS=DEFLATE (RFC 4978) for both directions.</summary>
    public async Task CompressAsync(CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(new CommandBuilder("COMPRESS").Raw("COMPRESS DEFLATE"), exclusive: true, cancellationToken,
            afterOk: SwitchToCompression()).ConfigureAwait(false);
        if (!result.IsOk) throw new ImapCommandException("COMPRESS", result.Status, result.Code, result.Text);
    }

    /// <summary>
    /// Runs a stream switch once the command that asked for it is fully written. The server may answer before our
    /// own write has finished (a TLS write completes asynchronously); switching then let the old pipe's writer and the
    /// new stream write to the TLS stream at once, which SslStream refuses ("another write operation is pending").
    /// The command is exclusive, so nothing else waits for the write lock meanwhile.
    /// </summary>
    private async ValueTask AfterOwnWriteAsync(Func<ValueTask> switchStreams)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try { await switchStreams().ConfigureAwait(false); }
        finally { _writeLock.Release(); }
    }

    private Func<ValueTask> SwitchToCompression() => () => AfterOwnWriteAsync(() =>
    {
        // The server compresses from the byte after its tagged OK; whatever the reader already holds is compressed.
        var leftover = ReadOnlyMemory<byte>.Empty;
        if (_reader.Input.TryRead(out var result))
        {
            leftover = result.Buffer.ToArray();
            _reader.Input.AdvanceTo(result.Buffer.End);
        }
        _transport.StartCompression(leftover);
        _reader.Input = _transport.Input;
        return ValueTask.CompletedTask;
    });

    /// <summary>ENABLE (RFC 5161); returns what the server turned on.</summary>
    public async Task<IReadOnlySet<string>> EnableAsync(IEnumerable<string> extensions, CancellationToken cancellationToken = default)
    {
        var list = extensions.ToArray();
        var builder = new CommandBuilder("ENABLE").Raw("ENABLE " + string.Join(' ', list));
        await RunOkAsync(builder, exclusive: true, cancellationToken, (in ResponseLine line, ResponseFrame frame) =>
        {
            if (line.Keyword != "ENABLED") return false;
            foreach (var word in System.Text.Encoding.ASCII.GetString(line.Rest(frame.Span)).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                _enabled.Add(word.ToUpperInvariant());
            return true;
        }).ConfigureAwait(false);
        // QRESYNC implies CONDSTORE (RFC 7162 §3.2.3).
        if (_enabled.Contains("QRESYNC")) _enabled.Add("CONDSTORE");
        return _enabled;
    }
}
