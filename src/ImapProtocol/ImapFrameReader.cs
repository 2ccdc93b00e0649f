using System.Buffers;

namespace ImapProxy.Protocol;

/// <summary>Which side's grammar a <see cref="ImapFrameReader"/> frames.</summary>
public enum FrameKind : byte
{
    /// <summary>Client commands, read by a server.</summary>
    Commands,

    /// <summary>Server responses, read by a client: status responses and continuations end at their first CRLF even
    /// when their text ends in something that looks like a literal header.</summary>
    Responses,
}

/// <summary>
/// Cuts a byte stream into whole commands or responses: lines plus the literals they announce. It examines each
/// byte once (a tiny explicit state remembers how far it got), enforces the line, literal and frame limits before
/// buffering anything beyond them, reports when a synchronizing literal needs <c>+ Ready</c>, and can hand a large
/// literal to the caller to stream. One instance per connection and direction; not thread-safe.
/// </summary>
/// <remarks>Typical server loop: <c>var r = frames.Read(result.Buffer);</c> then, on
/// <see cref="FrameStatus.Complete"/>, <c>ImapCommand.TryParse(r, …)</c>; on <see cref="FrameStatus.NeedContinuation"/>
/// write <c>+ Ready</c>; always finish with <c>reader.AdvanceTo(r.Consumed, r.Examined)</c>.</remarks>
public sealed partial class ImapFrameReader
{
    private readonly ImapParserOptions _options;
    private readonly FrameKind _kind;
    private long _scanned;
    private long _lineScanned;
    private long _lineBytes;
    private long _literalTotal;
    private int _literalCount;
    private int _announced = -1;
    private long _pendingLiteral = -1;
    private bool _pendingSync;
    private bool _skipping;
    private ArrayBufferWriter<byte>? _prefix;
    private List<long>? _streamed;

    /// <summary>Creates a frame reader.</summary>
    public ImapFrameReader(FrameKind kind, ImapParserOptions? options = null)
    {
        _kind = kind;
        _options = options ?? (kind == FrameKind.Responses ? ImapParserOptions.Responses : ImapParserOptions.Default);
    }

    /// <summary>The options in force.</summary>
    public ImapParserOptions Options => _options;

    /// <summary>True while the reader is in the middle of a frame (bytes of it were seen or streamed).</summary>
    public bool InFrame => _scanned > 0 || _lineScanned > 0 || _prefix is not null;

    /// <summary>Looks for the next whole frame at the start of <paramref name="buffer"/>. Pass the same buffer
    /// start again (plus new bytes) until the frame completes.</summary>
    public FrameResult Read(in ReadOnlySequence<byte> buffer) => ReadFrame(buffer, lineOnly: false);

    /// <summary>Reads one raw line (no literals), e.g. an AUTHENTICATE response or IDLE's DONE.</summary>
    public FrameResult ReadLine(in ReadOnlySequence<byte> buffer) => ReadFrame(buffer, lineOnly: true);

    private FrameResult ReadFrame(ReadOnlySequence<byte> buffer, bool lineOnly)
    {
        if (_skipping)
        {
            var lf = buffer.PositionOf((byte)'\n');
            if (lf is null) return new FrameResult { Status = FrameStatus.NeedMoreData, Consumed = buffer.End, Examined = buffer.End, LiteralSize = -1 };
            buffer = buffer.Slice(buffer.GetPosition(1, lf.Value));
            _skipping = false;
        }
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            reader.Advance(_scanned - reader.Consumed);
            if (_pendingLiteral >= 0)
            {
                if (reader.Remaining < _pendingLiteral)
                {
                    var status = FrameStatus.NeedMoreData;
                    if (_pendingSync && _announced < _literalCount && reader.Remaining == 0)
                    {
                        status = FrameStatus.NeedContinuation;
                        _announced = _literalCount;
                    }
                    return Waiting(buffer, status);
                }
                reader.Advance(_pendingLiteral);
                _literalCount++;
                _pendingLiteral = -1;
                _scanned = reader.Consumed;
            }
            var allowed = _options.MaxLineLength - _lineBytes;
            reader.Advance(_lineScanned);
            var window = reader.UnreadSequence;
            if (window.Length > allowed - _lineScanned) window = window.Slice(0, Math.Max(0, allowed - _lineScanned));
            var lfPos = window.PositionOf((byte)'\n');
            if (lfPos is null)
            {
                if (_lineScanned + window.Length >= allowed)
                    return LineTooLong(buffer);
                _lineScanned += window.Length;
                return Waiting(buffer, FrameStatus.NeedMoreData);
            }
            var chunkEnd = buffer.GetPosition(1, lfPos.Value);
            var chunk = buffer.Slice(reader.Sequence.GetPosition(_scanned), chunkEnd);
            _lineBytes += chunk.Length;
            _lineScanned = 0;
            var isFirstChunk = _scanned == 0 && _prefix is null;
            var literal = lineOnly || (_kind == FrameKind.Responses && isFirstChunk && IsStatusLine(chunk))
                ? default
                : LiteralHeader.Find(chunk);
            _scanned += chunk.Length;
            if (!literal.Found) return Completed(buffer, chunkEnd);
            if (literal.Size > _options.LiteralStreamThreshold) return StreamLiteral(buffer, chunkEnd, literal);
            if (literal.Size > _options.MaxLiteralSize || _literalTotal + literal.Size > _options.MaxFrameSize)
            {
                var message = literal.Size > _options.MaxLiteralSize
                    ? $"literal of {literal.Size} bytes exceeds the limit of {_options.MaxLiteralSize}"
                    : $"command exceeds the limit of {_options.MaxFrameSize} bytes";
                return LimitError(buffer, chunkEnd, message, fatal: !literal.Synchronizing);
            }
            _literalTotal += literal.Size;
            _pendingLiteral = literal.Size;
            _pendingSync = literal.Synchronizing;
        }
    }

    private FrameResult Waiting(in ReadOnlySequence<byte> buffer, FrameStatus status) => new()
    {
        Status = status,
        Consumed = buffer.Start,
        Examined = buffer.End,
        LiteralSize = _pendingLiteral,
        LiteralSynchronizing = _pendingLiteral >= 0 && _pendingSync,
    };

    private FrameResult Completed(in ReadOnlySequence<byte> buffer, SequencePosition end)
    {
        var frame = buffer.Slice(buffer.Start, end);
        long[]? streamed = null;
        if (_prefix is not null)
        {
            foreach (var segment in frame) _prefix.Write(segment.Span);
            frame = new ReadOnlySequence<byte>(_prefix.WrittenMemory);
            streamed = _streamed!.ToArray();
        }
        Reset();
        return new FrameResult
        {
            Status = FrameStatus.Complete, Frame = frame, StreamedLiterals = streamed,
            Consumed = end, Examined = end, LiteralSize = -1,
        };
    }

    private FrameResult StreamLiteral(in ReadOnlySequence<byte> buffer, SequencePosition headerEnd, LiteralHeader literal)
    {
        var part = buffer.Slice(buffer.Start, headerEnd);
        _prefix ??= new ArrayBufferWriter<byte>();
        _streamed ??= [];
        foreach (var segment in part) _prefix.Write(segment.Span);
        _streamed.Add(_prefix.WrittenCount);
        _literalCount++;
        _scanned = 0;
        _lineScanned = 0;
        return new FrameResult
        {
            Status = FrameStatus.StreamLiteral, Frame = part, Consumed = headerEnd, Examined = headerEnd,
            LiteralSize = literal.Size, LiteralSynchronizing = literal.Synchronizing,
        };
    }

    private FrameResult LimitError(in ReadOnlySequence<byte> buffer, SequencePosition lineEnd, string message, bool fatal)
    {
        var tag = TagOf(buffer);
        Reset();
        return new FrameResult
        {
            Status = FrameStatus.Error, Error = message, Fatal = fatal, Tag = tag,
            Consumed = lineEnd, Examined = lineEnd, LiteralSize = -1,
        };
    }

    private FrameResult LineTooLong(in ReadOnlySequence<byte> buffer)
    {
        var tag = TagOf(buffer);
        Reset();
        _skipping = true;
        return new FrameResult
        {
            Status = FrameStatus.Error, Error = $"line longer than {_options.MaxLineLength} bytes", Tag = tag,
            Consumed = buffer.End, Examined = buffer.End, LiteralSize = -1,
        };
    }

    private void Reset()
    {
        _scanned = 0;
        _lineScanned = 0;
        _lineBytes = 0;
        _literalTotal = 0;
        _literalCount = 0;
        _announced = -1;
        _pendingLiteral = -1;
        _prefix = null;
        _streamed = null;
    }
}
