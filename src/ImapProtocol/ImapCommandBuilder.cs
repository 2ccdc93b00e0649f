using System.Buffers;

namespace ImapProxy.Protocol;

/// <summary>
/// Builds one client command: <c>tag NAME</c>, then arguments through <see cref="Writer"/>, then
/// <see cref="Build"/> adds CRLF and cuts the bytes into segments at each synchronizing literal. Send segment 0,
/// wait for a <c>+</c> continuation, send segment 1, and so on; with LITERAL+ there is only one segment.
/// </summary>
public sealed class ImapCommandBuilder
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private bool _built;

    /// <summary>Starts a command.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="name">The command name, e.g. "UID FETCH".</param>
    /// <param name="options">Writer options; <see cref="ImapWriterOptions.Client"/> when null.</param>
    public ImapCommandBuilder(string tag, string name, ImapWriterOptions? options = null)
    {
        Writer = new ImapWriter(_buffer, options ?? ImapWriterOptions.Client);
        Writer.Raw(tag).Space().Raw(name);
        Tag = tag;
    }

    /// <summary>The tag.</summary>
    public string Tag { get; }

    /// <summary>The writer for the arguments (each argument preceded by <see cref="ImapWriter.Space"/>).</summary>
    public ImapWriter Writer { get; }

    /// <summary>Ends the command with CRLF and returns its segments: every segment but the last ends with a
    /// synchronizing literal header after which the client must wait for <c>+</c>.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Build()
    {
        if (_built) throw new InvalidOperationException("the command was already built");
        _built = true;
        Writer.Crlf();
        var all = _buffer.WrittenMemory;
        var segments = new List<ReadOnlyMemory<byte>>(Writer.SynchronizingLiteralEnds.Count + 1);
        var start = 0;
        foreach (var end in Writer.SynchronizingLiteralEnds)
        {
            segments.Add(all[start..(int)end]);
            start = (int)end;
        }
        segments.Add(all[start..]);
        return segments;
    }
}
