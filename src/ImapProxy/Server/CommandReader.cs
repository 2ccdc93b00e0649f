using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using ImapProxy.Protocol;

namespace ImapProxy.Server;

/// <summary>
/// The session's input side: cuts the byte stream into commands with the protocol library's frame reader,
/// answers synchronizing literals with <c>+ Ready</c>, streams big APPEND literals to files, and refuses
/// oversized ones before the client sends them.
/// </summary>
internal sealed class CommandReader : IDisposable
{
    private readonly ImapSession _session;
    private readonly ImapParserOptions _parserOptions;
    private readonly List<StreamedLiteral> _streamed = new();
    private ImapFrameReader _frames;
    private (string Tag, string Name)? _current;
    private CommandResult? _rejection;

    public CommandReader(ImapSession session)
    {
        _session = session;
        var options = session.Options;
        _parserOptions = new ImapParserOptions
        {
            MaxLineLength = options.MaxLineLength,
            MaxLiteralSize = Math.Max(options.AppendLimit, options.MaxInlineLiteralSize) * 4,
            LiteralStreamThreshold = options.MaxInlineLiteralSize,
            MaxFrameSize = options.MaxLineLength + 16L * options.MaxInlineLiteralSize,
            MaxDepth = options.MaxNestingDepth,
        };
        _frames = new ImapFrameReader(FrameKind.Commands, _parserOptions);
    }

    private PipeReader Input => _session.Input;

    /// <summary>The next command, or null when the client closed the connection.</summary>
    public async ValueTask<IncomingCommand?> ReadCommandAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (!_frames.InFrame)
            {
                _current = null;
            }
            var frame = _frames.Read(buffer);
            switch (frame.Status)
            {
                case FrameStatus.Complete:
                {
                    var command = Build(frame);
                    Input.AdvanceTo(frame.Consumed);
                    return command;
                }
                case FrameStatus.NeedMoreData:
                    Input.AdvanceTo(frame.Consumed, frame.Examined);
                    if (result.IsCompleted)
                    {
                        return null;
                    }
                    break;
                case FrameStatus.NeedContinuation:
                    Input.AdvanceTo(frame.Consumed, frame.Examined);
                    _session.Writer.Continuation("Ready for literal data");
                    await _session.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case FrameStatus.StreamLiteral:
                {
                    _current ??= PeekTagAndName(buffer);
                    Input.AdvanceTo(frame.Consumed);
                    var refused = await StreamLiteralAsync(frame, cancellationToken).ConfigureAwait(false);
                    if (refused is not null)
                    {
                        return refused;
                    }
                    break;
                }
                default:
                    Input.AdvanceTo(frame.Consumed);
                    if (frame.Fatal)
                    {
                        throw new ProtocolViolationException($"Protocol error: {frame.Error}");
                    }
                    ResetFrame();
                    return new IncomingCommand(frame.Tag ?? "*", "", null, CommandResult.Bad(frame.Error ?? "Syntax error"), []);
            }
        }
    }

    /// <summary>One raw line (AUTHENTICATE's response, IDLE's DONE), without CRLF; null when the client closed.</summary>
    public async ValueTask<string?> ReadContinuationLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var frame = _frames.ReadLine(result.Buffer);
            switch (frame.Status)
            {
                case FrameStatus.Complete:
                    var line = Encoding.UTF8.GetString(frame.Frame).TrimEnd('\r', '\n');
                    Input.AdvanceTo(frame.Consumed);
                    return line;
                case FrameStatus.NeedMoreData:
                    Input.AdvanceTo(frame.Consumed, frame.Examined);
                    if (result.IsCompleted)
                    {
                        return null;
                    }
                    break;
                default:
                    Input.AdvanceTo(frame.Consumed);
                    throw new ProtocolViolationException($"Protocol error: {frame.Error ?? "bad continuation line"}");
            }
        }
    }

    /// <summary>Drops everything the client sent that was not read yet (STARTTLS: never run plain-text leftovers).</summary>
    public void DiscardBuffered()
    {
        if (Input.TryRead(out var result))
        {
            Input.AdvanceTo(result.Buffer.End);
        }
        ResetFrame();
    }

    private IncomingCommand Build(in FrameResult frame)
    {
        var streamed = _streamed.ToList();
        _streamed.Clear();
        var rejection = _rejection;
        _rejection = null;
        if (!ImapCommand.TryParse(frame, _parserOptions, out var parsed, out var error, out var tag))
        {
            streamed.ForEach(s => s.Dispose());
            return new IncomingCommand(tag ?? "*", "", null, CommandResult.Bad(error ?? "Syntax error"), []);
        }
        var name = parsed!.IsUid ? "UID " + parsed.Name : parsed.Name;
        return new IncomingCommand(parsed.Tag, name, parsed, rejection, streamed);
    }

    /// <summary>
    /// A literal above the in-memory threshold: APPEND's message goes to a file; anything else, or a message over
    /// APPENDLIMIT, is refused up front when synchronizing (the client then never sends it) or read and dropped.
    /// </summary>
    private async ValueTask<IncomingCommand?> StreamLiteralAsync(FrameResult frame, CancellationToken cancellationToken)
    {
        var (tag, name) = _current ?? ("*", "");
        bool isAppend = name == "APPEND";
        CommandResult? refusal = null;
        if (!isAppend)
        {
            refusal = CommandResult.Bad($"Literal of {frame.LiteralSize} bytes is too large for {ImapSession.Printable(name)} (limit {_session.Options.MaxInlineLiteralSize})");
        }
        else if (frame.LiteralSize > _session.Options.AppendLimit)
        {
            refusal = CommandResult.No($"Message of {frame.LiteralSize} bytes exceeds APPENDLIMIT {_session.Options.AppendLimit}", "TOOBIG");
        }
        if (refusal is { } refused && frame.LiteralSynchronizing)
        {
            ResetFrame();
            return new IncomingCommand(tag, name, null, refused, []);
        }
        if (frame.LiteralSynchronizing)
        {
            _session.Writer.Continuation("Ready for literal data");
            await _session.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        if (refusal is not null)
        {
            _rejection ??= refusal;
            await CopyLiteralAsync(frame.LiteralSize, null, cancellationToken).ConfigureAwait(false);
            _streamed.Add(new StreamedLiteral("", frame.LiteralSize, tooLarge: true));
            return null;
        }
        var path = Path.Combine(TempDirectory(), $"append-{Guid.NewGuid():N}.tmp");
        var literal = new StreamedLiteral(path, frame.LiteralSize, tooLarge: false);
        _streamed.Add(literal);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
        {
            await CopyLiteralAsync(frame.LiteralSize, file, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    private async ValueTask CopyLiteralAsync(long size, Stream? target, CancellationToken cancellationToken)
    {
        long remaining = size;
        while (remaining > 0)
        {
            var result = await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.IsEmpty && result.IsCompleted)
            {
                throw new ConnectionClosedException();
            }
            var take = buffer.Slice(0, Math.Min(remaining, buffer.Length));
            if (target is not null)
            {
                foreach (var segment in take)
                {
                    await target.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
                }
            }
            remaining -= take.Length;
            Input.AdvanceTo(take.End);
        }
    }

    private string TempDirectory()
    {
        var directory = _session.Options.TempDirectory ?? Path.Combine(Path.GetTempPath(), "imapproxy-append");
        Directory.CreateDirectory(directory);
        return directory;
    }

    private (string Tag, string Name) PeekTagAndName(in ReadOnlySequence<byte> buffer)
    {
        var reader = new ImapReader(buffer, _parserOptions);
        if (reader.TryReadTag(out var tag) != ParseStatus.Ok || reader.TryReadSpace() != ParseStatus.Ok)
        {
            return ("*", "");
        }
        return reader.TryReadAtom(out string name) == ParseStatus.Ok ? (tag, name.ToUpperInvariant()) : (tag, "");
    }

    private void ResetFrame()
    {
        _frames = new ImapFrameReader(FrameKind.Commands, _parserOptions);
        _streamed.ForEach(s => s.Dispose());
        _streamed.Clear();
        _rejection = null;
        _current = null;
    }

    public void Dispose() => ResetFrame();
}
