namespace ImapProxy.Server.Commands;

/// <summary>NOOP (RFC 3501 §6.1.2): does nothing itself; the session reports mailbox changes after every command.</summary>
internal sealed class NoopCommand : ICommandHandler
{
    public ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        context.Args.End();
        return ValueTask.FromResult(CommandResult.Ok("NOOP completed"));
    }
}
