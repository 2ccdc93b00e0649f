using ImapProxy.Protocol;

namespace ImapProxy.Server;

/// <summary>A command as read from the wire: parsed, or the BAD it deserves; with its command-table row.</summary>
internal sealed class IncomingCommand : IDisposable
{
    private static readonly ImapValue[] NoArguments = [];

    public IncomingCommand(string tag, string name, ImapCommand? parsed, CommandResult? error, IReadOnlyList<StreamedLiteral> streamed)
    {
        Tag = tag;
        Name = name;
        Parsed = parsed;
        Error = error;
        Streamed = streamed;
        Entry = CommandTable.Find(name);
        Arguments = new ArgumentCursor(parsed?.Arguments ?? NoArguments);
    }

    public string Tag { get; }

    /// <summary>Upper case; UID commands as "UID FETCH".</summary>
    public string Name { get; }

    public ImapCommand? Parsed { get; }

    /// <summary>The BAD/NO to answer without running anything (syntax error, literal too large...).</summary>
    public CommandResult? Error { get; }

    public CommandEntry? Entry { get; }

    public ArgumentCursor Arguments { get; }

    /// <summary>Literals that went to files instead of memory (APPEND), in argument order.</summary>
    public IReadOnlyList<StreamedLiteral> Streamed { get; }

    /// <summary>Work to do once the tagged reply is on the wire (STARTTLS's handshake).</summary>
    public Func<Task>? AfterReply { get; set; }

    public void Dispose()
    {
        foreach (var literal in Streamed)
        {
            literal.Dispose();
        }
    }
}

/// <summary>A literal streamed to a temporary file; deleted when the command is done with it.</summary>
internal sealed class StreamedLiteral : IDisposable
{
    public StreamedLiteral(string path, long size, bool tooLarge)
    {
        Path = path;
        Size = size;
        TooLarge = tooLarge;
    }

    /// <summary>The file holding the bytes (empty when <see cref="TooLarge"/>: the bytes were read and dropped).</summary>
    public string Path { get; }

    public long Size { get; }

    public bool TooLarge { get; }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Already moved into the Maildir, or never created.
        }
    }
}
