namespace ImapProxy.Upstream.Client.Wire;

/// <summary>The tagged completion of a command.</summary>
/// <param name="Status">OK, NO or BAD.</param>
/// <param name="Code">The response code inside the brackets, if any (e.g. "APPENDUID 38505 3955").</param>
/// <param name="Text">The human-readable text.</param>
internal sealed record CommandResult(string Status, string? Code, string Text)
{
    public bool IsOk => Status == "OK";
}

/// <summary>Handles one untagged response; returns true when the response was consumed.</summary>
internal delegate bool UntaggedHandler(in ResponseLine line, ResponseFrame frame);

/// <summary>A command that was (or is being) sent and waits for its tagged completion.</summary>
internal sealed class PendingCommand(string tag, string name)
{
    public string Tag { get; } = tag;

    /// <summary>The command name, never its arguments.</summary>
    public string Name { get; } = name;

    /// <summary>Completed by the reader loop with the tagged response, or faulted when the connection dies.</summary>
    public TaskCompletionSource<CommandResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Untagged responses offered to this command while it runs.</summary>
    public UntaggedHandler? OnUntagged { get; init; }

    /// <summary>Handles "+" when the command is not waiting for a literal continuation (AUTHENTICATE, IDLE).</summary>
    public Func<ResponseLine, ResponseFrame, ValueTask>? OnContinuation { get; init; }

    /// <summary>Runs in the reader loop right after a tagged OK, before the next byte is read (STARTTLS, COMPRESS).</summary>
    public Func<ValueTask>? AfterOk { get; init; }

    /// <summary>Where this command's body literals go (UID FETCH with a sink).</summary>
    public ILiteralRouter? Router { get; init; }

    /// <summary>True for IDLE: no read timeout while only it is pending.</summary>
    public bool IsIdle { get; init; }

    /// <summary>Set by the sender while it waits for "+" before a synchronizing literal.</summary>
    public TaskCompletionSource? LiteralContinuation { get; set; }
}
