using ImapProxy.Logging;
using ImapProxy.Store;
using System.IO.Pipelines;
using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Server;

/// <summary>
/// One IMAP connection: reads commands, checks them against the command table and the session state,
/// runs their handlers one at a time, and writes the tagged replies.
/// </summary>
internal sealed partial class ImapSession : IAsyncDisposable
{
    private readonly ConnectionTransport _transport;
    private readonly ILogger _logger;
    private readonly ImapTraceRedactor? _trace;
    private SslStream? _tls;

    public ImapSession(ConnectionTransport transport, ServerOptions options, IAccountResolver accounts, ILogger logger,
        ImapTraceRedactor? trace = null)
    {
        _transport = transport;
        Options = options;
        Accounts = accounts;
        _logger = logger;
        _trace = trace;
        Input = Traced(transport.Pipe.Input);
        Writer = new ResponseWriter(Traced(transport.Pipe.Output));
        Reader = new CommandReader(this);
    }

    public ServerOptions Options { get; }

    public IAccountResolver Accounts { get; }

    public ILogger Logger => _logger;

    public SessionState State { get; private set; } = SessionState.NotAuthenticated;

    public ResponseWriter Writer { get; }

    public PipeReader Input { get; private set; }

    internal CommandReader Reader { get; }

    public string Remote => _transport.Remote;

    /// <summary>The connection is encrypted, by implicit TLS or after STARTTLS.</summary>
    public bool IsTls => _transport.IsTls || _tls is not null;

    /// <summary>Plain-text passwords may be sent: the link is encrypted or never leaves this machine.</summary>
    public bool PasswordsAllowed => IsTls || _transport.IsLoopback;

    public bool CanStartTls => _transport.CanStartTls && !IsTls;

    /// <summary>The logged-in account, once LOGIN or AUTHENTICATE succeeded.</summary>
    public AccountStore? Account { get; set; }

    /// <summary>The selected mailbox's view for this session.</summary>
    public SelectedMailbox? Selected { get; set; }

    /// <summary>Extensions turned on with ENABLE (upper case).</summary>
    public HashSet<string> Enabled { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>CONDSTORE is on: enabled, or implied by a CONDSTORE-aware command (RFC 7162 §3.1).</summary>
    public bool CondStoreActive { get; set; }

    /// <summary>Serves the connection until the client logs out or goes away, or the server shuts down.</summary>
    /// <param name="connectionClosed">The transport is gone.</param>
    /// <param name="serverStopping">The server is shutting down: the client gets <c>* BYE</c> and the connection ends.</param>
    public async Task RunAsync(CancellationToken connectionClosed, CancellationToken serverStopping = default)
    {
        try
        {
            Writer.Untagged($"OK [CAPABILITY {Capabilities.For(this)}] ImapProxy ready.");
            await Writer.FlushAsync(connectionClosed).ConfigureAwait(false);
            while (State != SessionState.Logout)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(connectionClosed, serverStopping);
                idle.CancelAfter(Options.IdleTimeout);
                var read = await Reader.ReadCommandAsync(idle.Token).ConfigureAwait(false);
                if (read is null)
                {
                    break; // the client closed its side
                }
                using (read)
                {
                    await ExecuteAsync(read, idle.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!connectionClosed.IsCancellationRequested && serverStopping.IsCancellationRequested)
        {
            await SayByeAsync("Server shutting down").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!connectionClosed.IsCancellationRequested)
        {
            await SayByeAsync("Autologout; idle for too long").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ConnectionClosedException or IOException)
        {
            // The peer went away: a normal end.
        }
        catch (ProtocolViolationException ex)
        {
            await SayByeAsync(ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "IMAP session from {Remote} failed", Remote);
            await SayByeAsync("Internal server error, closing connection").ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ExecuteAsync(IncomingCommand command, CancellationToken cancellationToken)
    {
        CommandResult result;
        var entry = command.Entry;
        if (command.Error is { } error)
        {
            result = error;
        }
        else if (entry is null)
        {
            result = CommandResult.Bad($"Unknown command {Printable(command.Name)}");
        }
        else if (!SessionStateTable.Includes(entry.States, State))
        {
            result = CommandResult.Bad(State switch
            {
                SessionState.NotAuthenticated => $"{entry.Name} needs you to log in first",
                SessionState.Authenticated when entry.States.HasFlag(AllowedStates.Selected) => $"{entry.Name} needs a selected mailbox",
                _ => $"{entry.Name} is not allowed now (already logged in)",
            });
        }
        else
        {
            var context = new CommandContext(this, command, cancellationToken);
            try
            {
                result = await entry.Handler.ExecuteAsync(context).ConfigureAwait(false);
            }
            catch (CommandSyntaxException ex)
            {
                result = CommandResult.Bad(ex.Message);
            }
            catch (MailStoreException ex)
            {
                result = StoreErrors.ToResult(ex);
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or ConnectionClosedException or IOException or ProtocolViolationException))
            {
                _logger.LogError(ex, "{Command} from {Remote} failed", entry.Name, Remote);
                result = CommandResult.No("Internal error; see the server log", "SERVERBUG");
            }
            if (result.Outcome != CommandOutcome.Bad && Selected is not null && State != SessionState.Logout)
            {
                // RFC 3501 §7: untagged updates ride on command completion; no EXPUNGE behind commands that use sequence numbers.
                await Selected.ReportChangesAsync(this, allowExpunge: !entry.Flags.HasFlag(CommandFlags.UsesSequenceNumbers), cancellationToken).ConfigureAwait(false);
            }
            State = SessionStateTable.Next(State, entry.Name, result.Outcome);
            if (State != SessionState.Selected && Selected is not null)
            {
                await Selected.DisposeAsync().ConfigureAwait(false);
                Selected = null;
            }
        }
        Writer.Tagged(command.Tag, result);
        await Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (command.AfterReply is { } afterReply)
        {
            await afterReply().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Drops the plain text the client sent behind STARTTLS, never executing it. This must run before the tagged OK
    /// goes out: a client answers the OK with its ClientHello at once, and if that arrived before a discard made after
    /// the OK, the discard would swallow it and both sides would wait for each other forever.
    /// </summary>
    public void DiscardPlaintextBeforeTls() => Reader.DiscardBuffered();

    /// <summary>Moves the connection onto TLS after STARTTLS's OK (the plain text behind it was already discarded).</summary>
    public async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        _tls = new SslStream(new DuplexPipeStream(_transport.Pipe), leaveInnerStreamOpen: true);
        // A client that never finishes its handshake must not hold the connection until the 30-minute autologout.
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshake.CancelAfter(Options.TlsHandshakeTimeout);
        try
        {
            await _tls.AuthenticateAsServerAsync(TlsSettings.ServerAuthentication(Options.Certificate!), handshake.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"TLS handshake not completed within {Options.TlsHandshakeTimeout.TotalSeconds:0} s");
        }
        Input = Traced(PipeReader.Create(_tls, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true)));
        Writer.Replace(Traced(PipeWriter.Create(_tls, new StreamPipeWriterOptions(leaveOpen: true))));
    }

    // --trace imap taps the session's own reader and writer, above TLS, so the trace shows IMAP and not ciphertext.
    private PipeReader Traced(PipeReader input) => _trace is null ? input : new TracingPipeReader(input, _trace);

    private PipeWriter Traced(PipeWriter output) => _trace is null ? output : new TracingPipeWriter(output, _trace);

    /// <summary>Marks the session logged in; the state table moves it on when the command's OK is sent.</summary>
    public void LogIn(AccountStore account) => Account = account;

    private async Task SayByeAsync(string text)
    {
        try
        {
            Writer.Untagged($"BYE {text}");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Writer.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ConnectionClosedException or IOException or InvalidOperationException)
        {
            // Nobody is listening any more.
        }
    }

    internal static string Printable(string text)
    {
        var clean = new string(text.Where(c => c >= ' ' && c < 0x7f).Take(40).ToArray());
        return clean.Length == 0 ? "(empty)" : clean;
    }

    public async ValueTask DisposeAsync()
    {
        if (Selected is not null)
        {
            await Selected.DisposeAsync().ConfigureAwait(false);
            Selected = null;
        }
        Reader.Dispose();
        if (_tls is not null)
        {
            await _tls.DisposeAsync().ConfigureAwait(false);
        }
    }
}
