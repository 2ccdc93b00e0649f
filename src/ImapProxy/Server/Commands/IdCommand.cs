namespace ImapProxy.Server.Commands;

/// <summary>ID (RFC 2971): accepts the client's list (or NIL) and names this server.</summary>
internal sealed class IdCommand : ICommandHandler
{
    public ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var parameters = context.Args.Next("ID parameter list or NIL");
        if (!parameters.IsNil && !parameters.IsList)
        {
            throw new CommandSyntaxException("ID expects a parenthesized list or NIL");
        }
        if (parameters.IsList && (parameters.Items.Count % 2 != 0 || parameters.Items.Count > 60))
        {
            throw new CommandSyntaxException("ID list must hold at most 30 field/value pairs");
        }
        context.Args.End();
        context.Writer.Untagged("ID (\"name\" \"ImapProxy\" \"vendor\" \"ImapProxy\")");
        return ValueTask.FromResult(CommandResult.Ok("ID completed"));
    }
}
