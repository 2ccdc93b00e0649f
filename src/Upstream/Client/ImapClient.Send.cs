using System.Buffers;
using System.Text;
using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

public sealed partial class ImapClient
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _tagCounter;
    private long _lastSend = Environment.TickCount64;

    /// <summary>
    /// Sends a command and waits for its tagged completion. A pipelinable command goes out at once, even while others
    /// are in flight; an exclusive one waits until all others are done and holds back later ones until it is.
    /// </summary>
    private async Task<CommandResult> RunAsync(CommandBuilder builder, bool exclusive, CancellationToken cancellationToken,
        UntaggedHandler? onUntagged = null, Func<ResponseLine, ResponseFrame, ValueTask>? onContinuation = null,
        Func<ValueTask>? afterOk = null, ILiteralRouter? router = null, bool isIdle = false, Action<PendingCommand>? sent = null)
    {
        ThrowIfClosed();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var holdsGate = true;
        try
        {
            if (exclusive) await DrainAsync().ConfigureAwait(false);
            ThrowIfClosed();
            var command = new PendingCommand($"A{Interlocked.Increment(ref _tagCounter)}", builder.Name)
            {
                OnUntagged = onUntagged, OnContinuation = onContinuation, AfterOk = afterOk, Router = router, IsIdle = isIdle,
            };
            sent?.Invoke(command);
            await SendAsync(command, builder.Build()).ConfigureAwait(false);
            if (!exclusive)
            {
                _gate.Release();
                holdsGate = false;
            }
            // Once sent, a command cannot be taken back: cancelling only stops waiting; the reader still completes it.
            return await command.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (holdsGate) _gate.Release();
        }
    }

    /// <summary>Runs a command and throws <see cref="ImapCommandException"/> unless it ends in OK.</summary>
    private async Task<CommandResult> RunOkAsync(CommandBuilder builder, bool exclusive, CancellationToken cancellationToken,
        UntaggedHandler? onUntagged = null, ILiteralRouter? router = null, Action<PendingCommand>? sent = null)
    {
        var result = await RunAsync(builder, exclusive, cancellationToken, onUntagged, router: router, sent: sent).ConfigureAwait(false);
        return result.IsOk ? result : throw new ImapCommandException(builder.Name, result.Status, result.Code, result.Text);
    }

    private async Task DrainAsync()
    {
        Task[] running;
        lock (_sync) running = [.. _pending.Select(p => (Task)p.Done.Task)];
        if (running.Length == 0) return;
        try { await Task.WhenAll(running).ConfigureAwait(false); }
        catch (Exception) { /* their callers see their errors */ }
    }

    private void ThrowIfClosed()
    {
        if (_fault is not null) throw new ImapProtocolException($"the connection to {_options.Host} is closed: {_fault.Message}", _fault);
    }

    private async Task SendAsync(PendingCommand command, IReadOnlyList<CommandPart> parts)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            lock (_sync) _pending.Add(command);
            var trace = _trace is null ? null : new StringBuilder(command.Tag).Append(' ');
            var output = _transport.Output;
            Write(output, command.Tag + " ");
            foreach (var part in parts)
            {
                if (!part.IsLiteral)
                {
                    output.Write(part.Bytes.Span);
                    trace?.Append(part.Secret ? "***" : Encoding.UTF8.GetString(part.Bytes.Span));
                    continue;
                }
                var synchronizing = !(Has("LITERAL+") || (Has("LITERAL-") && part.Length <= 4096));
                Write(output, $"{(part.Binary ? "~" : "")}{{{part.Length}{(synchronizing ? "" : "+")}}}\r\n");
                trace?.Append(part.Secret ? "***" : $"{{{part.Length} bytes}}");
                if (synchronizing)
                {
                    var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    lock (_sync)
                    {
                        command.LiteralContinuation = waiter;
                        _awaitingLiteral = command;
                    }
                    await FlushAsync(output).ConfigureAwait(false);
                    try { await waiter.Task.ConfigureAwait(false); }
                    catch (OperationCanceledException)
                    {
                        // The server refused the literal with a tagged NO/BAD; the command is over.
                        _trace?.Line(TraceDirection.Client, trace!.ToString());
                        return;
                    }
                    command.LiteralContinuation = null;
                }
                if (part.Source is null) output.Write(part.Bytes.Span);
                else await CopyAsync(part.Source, part.Length, output).ConfigureAwait(false);
            }
            output.Write("\r\n"u8);
            _trace?.Line(TraceDirection.Client, trace!.ToString());
            await FlushAsync(output).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ImapProtocolException)
        {
            throw SendFailed($"sending {command.Name} to {_options.Host} failed", e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A half-written command or line leaves the stream unusable, so the connection is faulted. If the
    /// reader already found the connection broken (and closed it under us), its reason is the one worth reporting.</summary>
    private ImapProtocolException SendFailed(string what, Exception e)
    {
        var fault = _fault is { } known
            ? new ImapProtocolException(known.Message, known)
            : new ImapProtocolException($"{what}: {e.Message}", e);
        SetFault(fault);
        return fault;
    }

    /// <summary>Writes a line outside a command (AUTHENTICATE responses, IDLE's DONE).</summary>
    private async Task SendLineAsync(string line, bool secret)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _trace?.Line(TraceDirection.Client, secret ? "***" : line);
            Write(_transport.Output, line + "\r\n");
            await FlushAsync(_transport.Output).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ImapProtocolException)
        {
            throw SendFailed($"sending to {_options.Host} failed", e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask FlushAsync(System.IO.Pipelines.PipeWriter output)
    {
        var result = await output.FlushAsync(_shutdown.Token).ConfigureAwait(false);
        _lastSend = Environment.TickCount64;
        if (result.IsCompleted || result.IsCanceled) throw new ImapProtocolException($"the connection to {_options.Host} is closed");
    }

    private async Task CopyAsync(Stream source, long length, System.IO.Pipelines.PipeWriter output)
    {
        var remaining = length;
        while (remaining > 0)
        {
            var memory = output.GetMemory(65536);
            var n = await source.ReadAsync(memory[..(int)Math.Min(memory.Length, remaining)], _shutdown.Token).ConfigureAwait(false);
            if (n == 0) throw new ImapProtocolException($"the message stream ended {remaining} bytes before its announced length");
            output.Advance(n);
            remaining -= n;
            await FlushAsync(output).ConfigureAwait(false);
        }
    }

    private static void Write(System.IO.Pipelines.PipeWriter output, string ascii)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(ascii.Length));
        output.Advance(Encoding.UTF8.GetBytes(ascii, span));
    }
}
