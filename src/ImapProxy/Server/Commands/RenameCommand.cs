namespace ImapProxy.Server.Commands;

/// <summary>RENAME (RFC 3501 §6.3.5), children included.</summary>
internal sealed class RenameCommand : ICommandHandler
{
    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var from = MailboxNames.FromWire(context.Args.Astring("existing mailbox name"));
        var to = MailboxNames.FromWire(context.Args.Astring("new mailbox name")).TrimEnd('/');
        context.Args.End();
        if (to == MailboxNames.Inbox)
        {
            return CommandResult.No("Cannot rename onto INBOX", "ALREADYEXISTS");
        }
        await context.Account.RenameFolderAsync(from, to, context.CancellationToken).ConfigureAwait(false);
        return CommandResult.Ok("RENAME completed");
    }
}
