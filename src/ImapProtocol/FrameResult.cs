using System.Buffers;

namespace ImapProxy.Protocol;

/// <summary>What <see cref="ImapFrameReader.Read"/> found in the buffer.</summary>
public enum FrameStatus : byte
{
    /// <summary>A whole command or response (every line and literal, final CRLF included) is in
    /// <see cref="FrameResult.Frame"/>.</summary>
    Complete,

    /// <summary>Read more and call again; <see cref="FrameResult.Consumed"/>/<see cref="FrameResult.Examined"/> say
    /// what to pass to <c>PipeReader.AdvanceTo</c>.</summary>
    NeedMoreData,

    /// <summary>Like <see cref="NeedMoreData"/>, and the frame waits on a synchronizing literal <c>{n}</c> whose
    /// bytes the peer will only send after a continuation request: a server sends <c>+ Ready</c> now. Reported
    /// exactly once per literal.</summary>
    NeedContinuation,

    /// <summary>A literal larger than <see cref="ImapParserOptions.LiteralStreamThreshold"/> starts right after
    /// <see cref="FrameResult.Consumed"/>. Send <c>+ Ready</c> if <see cref="FrameResult.LiteralSynchronizing"/>,
    /// then consume exactly <see cref="FrameResult.LiteralSize"/> bytes yourself (e.g. into a file), then call
    /// <see cref="ImapFrameReader.Read"/> again with the bytes after the literal. The frame reader keeps the part
    /// read so far; the completed frame shows the literal as a streamed <see cref="ImapValue"/>.</summary>
    StreamLiteral,

    /// <summary>A protocol error (malformed framing or a limit hit): see <see cref="FrameResult.Error"/>. Unless
    /// <see cref="FrameResult.Fatal"/>, answer BAD (with <see cref="FrameResult.Tag"/> when known), advance to
    /// <see cref="FrameResult.Consumed"/> and keep reading: the frame reader skips the rest of the bad line.</summary>
    Error,
}

/// <summary>The result of one <see cref="ImapFrameReader.Read"/> call.</summary>
public readonly struct FrameResult
{
    /// <summary>What was found.</summary>
    public FrameStatus Status { get; init; }

    /// <summary>For <see cref="FrameStatus.Complete"/>: the whole frame. It references the input buffer (valid until
    /// the pipe is advanced) unless streamed literals made the frame reader assemble an owned copy.</summary>
    public ReadOnlySequence<byte> Frame { get; init; }

    /// <summary>Offsets in <see cref="Frame"/> where streamed literals' bytes would have begun.</summary>
    public long[]? StreamedLiterals { get; init; }

    /// <summary>Position up to which the input is consumed.</summary>
    public SequencePosition Consumed { get; init; }

    /// <summary>Position up to which the input was examined.</summary>
    public SequencePosition Examined { get; init; }

    /// <summary>Size of the literal waited on or to stream; -1 when none.</summary>
    public long LiteralSize { get; init; }

    /// <summary>True when that literal is synchronizing (<c>{n}</c>, not <c>{n+}</c>).</summary>
    public bool LiteralSynchronizing { get; init; }

    /// <summary>For <see cref="FrameStatus.Error"/>: a message suitable for a BAD response.</summary>
    public string? Error { get; init; }

    /// <summary>For <see cref="FrameStatus.Error"/>: the stream cannot be resynchronized; close the connection
    /// (after <c>* BYE</c>).</summary>
    public bool Fatal { get; init; }

    /// <summary>For <see cref="FrameStatus.Error"/>: the tag of the bad command when it could be read.</summary>
    public string? Tag { get; init; }
}
