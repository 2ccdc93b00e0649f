namespace ImapProxy.Server.Commands;

/// <summary>CREATE (RFC 3501 §6.3.3); a trailing separator only says the client intends children, so it is dropped.</summary>
internal sealed class CreateCommand : ICommandHandler
{
    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var name = MailboxNames.FromWire(context.Args.Astring("mailbox name")).TrimEnd('/');
        if (!context.Args.AtEnd)
        {
            context.Args.List("CREATE parameters"); // RFC 4466 create-params: none supported, accepted and ignored only when empty
        }
        context.Args.End();
        if (name == MailboxNames.Inbox)
        {
            return CommandResult.No("INBOX always exists", "ALREADYEXISTS");
        }
        await context.Account.CreateFolderAsync(name, context.CancellationToken).ConfigureAwait(false);
        return CommandResult.Ok("CREATE completed");
    }
}
