using System.Text;
using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

public sealed partial class ImapClient
{
    private readonly object _sync = new();
    private readonly List<PendingCommand> _pending = [];
    private PendingCommand? _awaitingLiteral;
    private ImapProtocolException? _fault;
    private string? _byeText;
    private bool _loggingOut;

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                using var frame = await _reader.ReadAsync(_shutdown.Token).ConfigureAwait(false);
                var line = ResponseLine.Parse(frame.Span);
                Trace(frame, line);
                switch (line.Kind)
                {
                    case ResponseKind.Continuation:
                        await OnContinuationAsync(line, frame).ConfigureAwait(false);
                        break;
                    case ResponseKind.Untagged:
                        OnUntagged(line, frame);
                        break;
                    default:
                        if (await OnTaggedAsync(line, frame).ConfigureAwait(false) == SessionEnd.LoggedOut)
                        {
                            // The server's last words (BYE, the tagged OK) are in; waiting for it to close the connection
                            // would only cost a round of wake-ups and an exception for the end of the stream.
                            SetFault(new ImapProtocolException("logged out"));
                            return;
                        }
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            SetFault(_fault ?? new ImapProtocolException("the connection was closed"));
        }
        catch (ImapProtocolException e)
        {
            SetFault(_byeText is not null && !_loggingOut && e.Message.StartsWith("server closed", StringComparison.Ordinal)
                ? new ImapProtocolException($"{_options.Host} closed the connection: BYE {_byeText}", e)
                : e);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException
                                       or System.Security.Authentication.AuthenticationException or InvalidDataException)
        {
            SetFault(new ImapProtocolException($"connection to {_options.Host} failed: {e.Message}", e));
        }
        catch (Exception e)
        {
            // Anything else is a bug in a handler; still, the caller sees our one error type and the connection ends.
            SetFault(new ImapProtocolException($"internal error handling a response from {_options.Host}: {e.GetType().Name}: {e.Message}", e));
        }
        finally
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask OnContinuationAsync(ResponseLine line, ResponseFrame frame)
    {
        PendingCommand? target;
        lock (_sync) target = _awaitingLiteral;
        if (target?.LiteralContinuation is { } waiter)
        {
            lock (_sync) _awaitingLiteral = null;
            waiter.TrySetResult();
            return;
        }
        lock (_sync) target = _pending.LastOrDefault(p => p.OnContinuation is not null);
        if (target is null) throw new ImapProtocolException($"server sent a continuation request nobody asked for: {ResponseLine.Preview(frame.Span)}");
        await target.OnContinuation!(line, frame).ConfigureAwait(false);
    }

    private enum SessionEnd
    {
        Open,
        LoggedOut,
    }

    private async ValueTask<SessionEnd> OnTaggedAsync(ResponseLine line, ResponseFrame frame)
    {
        PendingCommand? command;
        lock (_sync)
        {
            var index = _pending.FindIndex(p => p.Tag == line.Tag);
            command = index < 0 ? null : _pending[index];
            if (command is not null) _pending.RemoveAt(index);
            if (command is not null && _awaitingLiteral == command) _awaitingLiteral = null;
        }
        if (command is null) throw new ImapProtocolException($"server completed a command that was never sent (tag {line.Tag})");
        try
        {
            await CompleteAsync(command, line, frame).ConfigureAwait(false);
            return command.Name == "LOGOUT" && line.Keyword == "OK" ? SessionEnd.LoggedOut : SessionEnd.Open;
        }
        catch (Exception e)
        {
            // The command is no longer pending, so the connection's fault would not reach its caller otherwise.
            command.LiteralContinuation?.TrySetCanceled();
            command.Done.TrySetException(e as ImapProtocolException ?? new ImapProtocolException($"{command.Name} failed: {e.Message}", e));
            throw;
        }
    }

    private async ValueTask CompleteAsync(PendingCommand command, ResponseLine line, ResponseFrame frame)
    {
        var (code, text) = line.StatusText(frame.Span);
        var result = new CommandResult(line.Keyword, code, text);
        if (code is not null && line.Keyword == "OK") ApplyStatusCode(code);
        if (code is not null && code.StartsWith("ALERT", StringComparison.OrdinalIgnoreCase)) Raise(new AlertEvent(text));
        // A NO instead of "+" ends the command: the sender must stop before the literal.
        command.LiteralContinuation?.TrySetCanceled();
        if (result.IsOk && command.AfterOk is not null) await command.AfterOk().ConfigureAwait(false);
        command.Done.TrySetResult(result);
    }

    private void OnUntagged(in ResponseLine line, ResponseFrame frame)
    {
        if (line.Keyword == "CAPABILITY")
        {
            SetCapabilities(Encoding.ASCII.GetString(line.Rest(frame.Span)));
            return;
        }
        if (line.IsStatus && line.Number < 0)
        {
            var (code, text) = line.StatusText(frame.Span);
            if (!_greeting.Task.IsCompleted)
            {
                _greeting.TrySetResult(new CommandResult(line.Keyword, code, text));
                return;
            }
            if (line.Keyword == "BYE")
            {
                _byeText = text;
                Raise(new ByeEvent(text));
                return;
            }
            if (code is not null && code.StartsWith("ALERT", StringComparison.OrdinalIgnoreCase)) Raise(new AlertEvent(text));
            if (code is not null) ApplyStatusCode(code);
        }
        else if (!_greeting.Task.IsCompleted)
        {
            throw new ImapProtocolException($"server sent {line.Keyword} before its greeting");
        }
        UpdateSelected(line, frame);
        PendingCommand[] pending;
        lock (_sync) pending = _pending.Count == 0 ? [] : [.. _pending];
        foreach (var command in pending)
            if (command.OnUntagged is { } handler && handler(line, frame)) return;
        RaiseMailboxEvent(line, frame);
    }

    /// <summary>The routers of the commands in flight that have one, oldest first.</summary>
    internal ILiteralRouter[] PendingRouters()
    {
        lock (_sync)
        {
            var count = 0;
            foreach (var command in _pending)
                if (command.Router is not null) count++;
            if (count == 0) return [];
            var routers = new ILiteralRouter[count];
            count = 0;
            foreach (var command in _pending)
                if (command.Router is { } router) routers[count++] = router;
            return routers;
        }
    }

    private void Raise(ImapEvent e)
    {
        try { Event?.Invoke(e); }
        catch (Exception) { /* a subscriber's bug must not kill the connection */ }
    }

    private void SetFault(ImapProtocolException fault)
    {
        PendingCommand[] pending;
        lock (_sync)
        {
            _fault ??= fault;
            State = ImapClientState.Closed;
            pending = [.. _pending];
            _pending.Clear();
            _awaitingLiteral = null;
        }
        _greeting.TrySetException(_fault);
        foreach (var command in pending)
        {
            command.LiteralContinuation?.TrySetException(_fault);
            command.Done.TrySetException(_fault);
        }
    }

    private void CheckTimeout()
    {
        bool waiting;
        lock (_sync) waiting = _pending.Any(p => !p.IsIdle) || !_greeting.Task.IsCompleted;
        if (!waiting) return;
        var silent = TimeSpan.FromMilliseconds(Environment.TickCount64 - Math.Max(_reader.LastActivity, _lastSend));
        if (silent <= _options.ReadTimeout) return;
        SetFault(new ImapProtocolException($"{_options.Host} sent nothing for {silent.TotalSeconds:0} s while a command was waiting (read timeout)"));
        CancelShutdown();
    }

    private void Trace(ResponseFrame frame, in ResponseLine line)
    {
        if (_trace is null) return;
        var span = frame.Span;
        // Literal contents are never traced: bodies are large and may be private.
        var text = new StringBuilder();
        var start = 0;
        while (start < span.Length)
        {
            var nl = span[start..].IndexOf((byte)'\n');
            var end = nl < 0 ? span.Length : start + nl + 1;
            var piece = span[start..end];
            if (ResponseReader.TryGetLiteralLength(piece, out var length, out var header))
            {
                text.Append(Encoding.UTF8.GetString(piece[..header])).Append($"{{{(frame.StreamedLength >= 0 && length == 0 ? frame.StreamedLength : length)} bytes}}");
                start = end + (int)length;
            }
            else
            {
                text.Append(Encoding.UTF8.GetString(piece).TrimEnd('\r', '\n'));
                start = end;
            }
        }
        _trace.Line(TraceDirection.Server, text.ToString());
    }
}

/// <summary>
/// Sends a literal to the first command in flight, oldest first, whose router takes it (a UID FETCH with a sink
/// takes the bodies of its own UIDs). Asking only the oldest was wrong: Dovecot 2.3 works on pipelined FETCH commands
/// together, so a later command's messages can arrive while an earlier one is still open, and their bodies then
/// stayed in memory and never reached their sink.
/// </summary>
internal sealed class PendingRouter(ImapClient client) : ILiteralRouter
{
    public async ValueTask<Stream?> RouteAsync(ReadOnlyMemory<byte> prefix, long length, CancellationToken cancellationToken)
    {
        foreach (var router in client.PendingRouters())
        {
            var sink = await router.RouteAsync(prefix, length, cancellationToken).ConfigureAwait(false);
            if (sink is not null) return sink;
        }
        return null;
    }
}
