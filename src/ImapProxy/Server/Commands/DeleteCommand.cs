namespace ImapProxy.Server.Commands;

/// <summary>DELETE (RFC 3501 §6.3.4). INBOX cannot be deleted.</summary>
internal sealed class DeleteCommand : ICommandHandler
{
    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var name = MailboxNames.FromWire(context.Args.Astring("mailbox name"));
        context.Args.End();
        if (name == MailboxNames.Inbox)
        {
            return CommandResult.No("INBOX cannot be deleted", "CANNOT");
        }
        await context.Account.DeleteFolderAsync(name, context.CancellationToken).ConfigureAwait(false);
        return CommandResult.Ok("DELETE completed");
    }
}
