namespace ImapProxy.Server.Commands;

/// <summary>SUBSCRIBE and UNSUBSCRIBE (RFC 3501 §6.3.6–7).</summary>
internal sealed class SubscribeCommand : ICommandHandler
{
    private readonly bool _subscribe;

    public SubscribeCommand(bool subscribe) => _subscribe = subscribe;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var name = MailboxNames.FromWire(context.Args.Astring("mailbox name"));
        context.Args.End();
        await Subscriptions.SetAsync(context.Account, name, _subscribe, context.CancellationToken).ConfigureAwait(false);
        return CommandResult.Ok(_subscribe ? "SUBSCRIBE completed" : "UNSUBSCRIBE completed");
    }
}
