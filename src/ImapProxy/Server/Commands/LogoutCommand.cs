namespace ImapProxy.Server.Commands;

/// <summary>LOGOUT (RFC 3501 §6.1.3): BYE, then the tagged OK; the state table moves to Logout and the session ends.</summary>
internal sealed class LogoutCommand : ICommandHandler
{
    public ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        context.Args.End();
        context.Writer.Untagged("BYE Logging out");
        return ValueTask.FromResult(CommandResult.Ok("LOGOUT completed"));
    }
}
