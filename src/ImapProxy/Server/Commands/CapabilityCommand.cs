namespace ImapProxy.Server.Commands;

/// <summary>CAPABILITY (RFC 3501 §6.1.1).</summary>
internal sealed class CapabilityCommand : ICommandHandler
{
    public ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        context.Args.End();
        context.Writer.Untagged("CAPABILITY " + Capabilities.For(context.Session));
        return ValueTask.FromResult(CommandResult.Ok("CAPABILITY completed"));
    }
}
