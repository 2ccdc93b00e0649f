using ImapProxy.Upstream.Client.Transport;
using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

/// <summary>Where a connection stands (RFC 3501 §3).</summary>
public enum ImapClientState
{
    /// <summary>Connected, not logged in.</summary>
    NotAuthenticated,

    /// <summary>Logged in, no mailbox selected.</summary>
    Authenticated,

    /// <summary>A mailbox is selected.</summary>
    Selected,

    /// <summary>Logged out or broken; dispose it and connect again.</summary>
    Closed,
}

/// <summary>
/// One connection to an upstream IMAP server. Commands may be issued concurrently: those the RFC allows to be
/// pipelined are sent at once and completed as their tagged responses arrive; the others (SELECT, IDLE,
/// AUTHENTICATE, ...) wait for the connection to be quiet. Untagged responses go to the command that asked for them,
/// and otherwise to <see cref="Event"/>.
/// Errors: <see cref="ImapCommandException"/> for NO/BAD (the connection stays usable), and
/// <see cref="ImapProtocolException"/> when the connection is unusable (then <see cref="State"/> is Closed).
/// </summary>
public sealed partial class ImapClient : IAsyncDisposable
{
    private readonly UpstreamOptions _options;
    private readonly IProtocolTrace? _trace;
    private readonly ImapTransport _transport;
    private readonly ResponseReader _reader;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource<CommandResult> _greeting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HashSet<string> _capabilities = new(StringComparer.OrdinalIgnoreCase);
    private Task _readLoop = Task.CompletedTask;
    private Timer? _watchdog;

    private ImapClient(UpstreamOptions options, ImapTransport transport, IProtocolTrace? trace)
    {
        _options = options;
        _transport = transport;
        _trace = trace;
        _reader = new ResponseReader(transport.Input, options) { Router = new PendingRouter(this) };
    }

    /// <summary>The options this connection was made with.</summary>
    public UpstreamOptions Options => _options;

    /// <summary>The server's current capabilities (upper-cased), refreshed after STARTTLS and login.</summary>
    public IReadOnlySet<string> Capabilities => _capabilities;

    /// <summary>Extensions turned on with ENABLE (CONDSTORE, QRESYNC, UTF8=ACCEPT).</summary>
    public IReadOnlySet<string> Enabled => _enabled;

    /// <summary>Where the connection stands.</summary>
    public ImapClientState State { get; private set; }

    /// <summary>The selected mailbox, or null.</summary>
    public MailboxInfo? Selected { get; private set; }

    /// <summary>Whether TLS protects the connection.</summary>
    public bool IsEncrypted => _transport.IsEncrypted;

    /// <summary>Whether COMPRESS=DEFLATE is active.</summary>
    public bool IsCompressed => _transport.IsCompressed;

    /// <summary>The server's ID answer (RFC 2971), if asked for.</summary>
    public IReadOnlyDictionary<string, string?>? ServerId { get; private set; }

    /// <summary>Why the connection closed, once <see cref="State"/> is Closed.</summary>
    public ImapProtocolException? Fault => _fault;

    /// <summary>
    /// Untagged responses no command claimed: mailbox changes, alerts, BYE. Raised on the reader loop: handlers must
    /// be quick and must not await commands on this client.
    /// </summary>
    public event Action<ImapEvent>? Event;

    /// <summary>True when the server announced the capability.</summary>
    public bool Has(string capability) => _capabilities.Contains(capability);

    /// <summary>
    /// Connects, secures the connection as configured, reads the capabilities and logs in. Turns on COMPRESS and
    /// ENABLEs CONDSTORE/QRESYNC/UTF8=ACCEPT when offered and configured.
    /// </summary>
    public static async Task<ImapClient> ConnectAsync(UpstreamOptions options, IProtocolTrace? trace = null, CancellationToken cancellationToken = default)
    {
        var transport = await ImapTransport.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        var client = new ImapClient(options, transport, trace);
        try
        {
            await client.OpenAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Like ConnectAsync(UpstreamOptions, …) over a stream that is already connected (tests, tunnels).</summary>
    public static async Task<ImapClient> ConnectAsync(Stream stream, UpstreamOptions options, IProtocolTrace? trace = null, CancellationToken cancellationToken = default)
    {
        var client = new ImapClient(options, ImapTransport.FromStream(options, stream), trace);
        try
        {
            await client.OpenAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        _readLoop = Task.Run(ReadLoopAsync, CancellationToken.None);
        _watchdog = new Timer(_ => CheckTimeout(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        CommandResult greeting;
        try
        {
            greeting = await _greeting.Task.WaitAsync(_options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new ImapConnectionException($"{_options.Host} sent no greeting within {_options.ConnectTimeout.TotalSeconds:0.#} s", permanent: false);
        }
        if (greeting.Status == "BYE")
            throw new ImapConnectionException($"{_options.Host} refused the connection: {greeting.Text}", permanent: false);
        ApplyCapabilityCode(greeting.Code);
        var preauth = greeting.Status == "PREAUTH";
        State = preauth ? ImapClientState.Authenticated : ImapClientState.NotAuthenticated;

        if (_options.Tls == TlsMode.StartTls && !_transport.IsEncrypted)
        {
            if (preauth)
                throw new ImapConnectionException($"{_options.Host} pre-authenticated the connection before STARTTLS; refusing to go on without TLS", permanent: true);
            if (_capabilities.Count == 0) await CapabilityAsync(cancellationToken).ConfigureAwait(false);
            if (!Has("STARTTLS"))
                throw new ImapConnectionException($"{_options.Host} does not offer STARTTLS, and tls = starttls was asked for; refusing to go on without TLS", permanent: true);
            await StartTlsAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_capabilities.Count == 0) await CapabilityAsync(cancellationToken).ConfigureAwait(false);
        if (!preauth) await AuthenticateAsync(cancellationToken).ConfigureAwait(false);
        if (_capabilities.Count == 0) await CapabilityAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Compress && Has("COMPRESS=DEFLATE") && !_transport.IsCompressed)
            await CompressAsync(cancellationToken).ConfigureAwait(false);
        if (_options.EnableExtensions)
        {
            var wanted = new[] { "QRESYNC", "CONDSTORE", "UTF8=ACCEPT" }.Where(Has).ToArray();
            if (Has("ENABLE") && wanted.Length > 0) await EnableAsync(wanted, cancellationToken).ConfigureAwait(false);
        }
    }

    private void ApplyCapabilityCode(string? code)
    {
        if (code is null || !code.StartsWith("CAPABILITY ", StringComparison.OrdinalIgnoreCase)) return;
        SetCapabilities(code["CAPABILITY ".Length..]);
    }

    private void SetCapabilities(string list)
        => _capabilities = new HashSet<string>(list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => c.ToUpperInvariant()), StringComparer.OrdinalIgnoreCase);

    /// <summary>Closes the connection without LOGOUT; pending commands fail. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_watchdog is not null) await _watchdog.DisposeAsync().ConfigureAwait(false);
        SetFault(new ImapProtocolException("the client was disposed"));
        await CancelShutdownAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        try { await _readLoop.ConfigureAwait(false); } catch (Exception) { }
        // _shutdown is deliberately never disposed: a send, LOGOUT or the watchdog racing with disposal still reads
        // its Token or cancels it, and a disposed source throws ObjectDisposedException there (found by the fuzz
        // test). It owns no timer or wait handle, so leaving it to the GC leaks nothing.
    }
}
