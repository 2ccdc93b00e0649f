namespace ImapProxy.Server.Commands;

/// <summary>NOOP (RFC 3501 §6.1.2): the session reports mailbox changes after every command.</summary>
internal sealed class NoopCommand : ICommandHandler
{
    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        context.Args.End();
        if (context.Session.Selected is { } selected)
        {
            // NOOP is how clients poll for new mail: look at the Maildir now (events, then directory mtimes) rather
            // than rely on the watcher having delivered a file another program just dropped in.
            await selected.Folder.GetStatusAsync(context.CancellationToken).ConfigureAwait(false);
        }
        return CommandResult.Ok("NOOP completed");
    }
}
