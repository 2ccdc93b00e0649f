namespace ImapProxy.Server.Commands;

/// <summary>NAMESPACE (RFC 2342): one personal namespace, no prefix, "/" as separator.</summary>
internal sealed class NamespaceCommand : ICommandHandler
{
    public ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        context.Args.End();
        context.Writer.Untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
        return ValueTask.FromResult(CommandResult.Ok("NAMESPACE completed"));
    }
}
