namespace ImapProxy.Server.Commands;

/// <summary>CHECK (RFC 3501 §6.4.1): every write already reached the Maildir and index, so there is nothing to do.</summary>
internal sealed class CheckCommand : ICommandHandler
{
    public ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        context.Args.End();
        return ValueTask.FromResult(CommandResult.Ok("CHECK completed"));
    }
}
