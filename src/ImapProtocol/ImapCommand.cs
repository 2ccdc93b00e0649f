using System.Buffers;

namespace ImapProxy.Protocol;

/// <summary>
/// A client command: tag, name and generically parsed arguments, over one owned copy of its bytes (lines and
/// literals, copied once from the pipe). Typed arguments are read with <see cref="CreateArgumentReader"/> and the
/// grammar methods of <see cref="ImapReader"/> (<c>TryReadSequenceSet</c>, <c>TryReadFetchAtts</c>, …).
/// </summary>
public sealed class ImapCommand
{
    private readonly long[]? _streamedLiterals;
    private readonly ImapParserOptions _options;

    private ImapCommand(string tag, string name, bool isUid, ImapValue[] arguments, ReadOnlyMemory<byte> raw,
        int argumentsOffset, long[]? streamedLiterals, ImapParserOptions options)
    {
        Tag = tag;
        Name = name;
        IsUid = isUid;
        Arguments = arguments;
        Raw = raw;
        ArgumentsOffset = argumentsOffset;
        _streamedLiterals = streamedLiterals;
        _options = options;
    }

    /// <summary>The tag.</summary>
    public string Tag { get; }

    /// <summary>The command name in upper case; for <c>UID FETCH</c> it is <c>FETCH</c> and <see cref="IsUid"/> is set.</summary>
    public string Name { get; }

    /// <summary>True for the UID form of COPY, MOVE, FETCH, SEARCH, STORE, EXPUNGE.</summary>
    public bool IsUid { get; }

    /// <summary>The arguments after the name, parsed generically (streamed literals appear with
    /// <see cref="ImapValue.StreamedSize"/> set).</summary>
    public IReadOnlyList<ImapValue> Arguments { get; }

    /// <summary>All bytes of the command, final CRLF included.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>Offset in <see cref="Raw"/> just after the command name (the SP before the first argument).</summary>
    public int ArgumentsOffset { get; }

    /// <summary>A reader positioned just after the command name: the next thing is SP or CRLF.</summary>
    public ImapReader CreateArgumentReader()
    {
        var reader = new ImapReader(new ReadOnlySequence<byte>(Raw), _options, _streamedLiterals);
        reader.Skip(ArgumentsOffset);
        return reader;
    }

    /// <summary>Parses a complete frame (see <see cref="ImapFrameReader"/>) as a command.</summary>
    /// <param name="frame">A <see cref="FrameStatus.Complete"/> result.</param>
    /// <param name="options">Limits; <see cref="ImapParserOptions.Default"/> when null.</param>
    /// <param name="command">The command, on success.</param>
    /// <param name="error">On failure: why, suitable for a BAD response.</param>
    /// <param name="tag">The tag when it could be read (also on failure), so the server can answer tagged BAD.</param>
    public static bool TryParse(in FrameResult frame, ImapParserOptions? options, out ImapCommand? command,
        out string? error, out string? tag)
    {
        if (frame.Status != FrameStatus.Complete) throw new ArgumentException("frame is not complete", nameof(frame));
        var raw = frame.StreamedLiterals is not null && frame.Frame.IsSingleSegment
            ? frame.Frame.First
            : frame.Frame.ToArray();
        return TryParse(raw, options, frame.StreamedLiterals, out command, out error, out tag);
    }

    /// <summary>Parses one whole command held in <paramref name="raw"/> (final CRLF included).</summary>
    public static bool TryParse(ReadOnlyMemory<byte> raw, ImapParserOptions? options, long[]? streamedLiterals,
        out ImapCommand? command, out string? error, out string? tag)
    {
        options ??= ImapParserOptions.Default;
        command = null;
        tag = null;
        var reader = new ImapReader(new ReadOnlySequence<byte>(raw), options, streamedLiterals);
        var s = reader.TryReadTag(out var t);
        if (s == ParseStatus.Ok) s = reader.TryReadSpace();
        if (s != ParseStatus.Ok) return Failed(ref reader, s, "missing or invalid tag", out error);
        tag = t;
        if ((s = reader.TryReadAtom(out string name)) != ParseStatus.Ok)
            return Failed(ref reader, s, "missing or invalid command name", out error);
        name = CommandNames.Normalize(name);
        var isUid = false;
        if (name == "UID")
        {
            isUid = true;
            if ((s = reader.TryReadSpace()) == ParseStatus.Ok) s = reader.TryReadAtom(out name);
            if (s != ParseStatus.Ok) return Failed(ref reader, s, "UID needs a command", out error);
            name = CommandNames.Normalize(name);
        }
        var argumentsOffset = (int)reader.Consumed;
        if ((s = reader.TryReadArguments(out var args)) != ParseStatus.Ok)
            return Failed(ref reader, s, "bad arguments", out error);
        if (!reader.End) { error = "data after the end of the command"; return false; }
        command = new ImapCommand(t, name, isUid, args, raw, argumentsOffset, streamedLiterals, options);
        error = null;
        return true;
    }

    private static bool Failed(ref ImapReader reader, ParseStatus status, string context, out string? error)
    {
        error = status == ParseStatus.Error ? $"{context}: {reader.ErrorMessage}" : $"{context}: unexpected end of line";
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Tag} {(IsUid ? "UID " : "")}{Name}{(Arguments.Count > 0 ? " " : "")}{string.Join(" ", Arguments)}";
}
