namespace ImapProxy.Server.Commands;

/// <summary>
/// CLOSE (RFC 3501 §6.4.2: expunge \Deleted messages silently, unless read-only) and UNSELECT (RFC 3691: just leave).
/// </summary>
internal sealed class CloseCommand : ICommandHandler
{
    private readonly bool _expungeFirst;

    public CloseCommand(bool expungeFirst) => _expungeFirst = expungeFirst;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        context.Args.End();
        var selected = context.Selected;
        if (_expungeFirst && !selected.ReadOnly)
        {
            await selected.Folder.ExpungeAsync(null, context.CancellationToken).ConfigureAwait(false);
        }
        await selected.DisposeAsync().ConfigureAwait(false);
        context.Session.Selected = null;
        return CommandResult.Ok(_expungeFirst ? "CLOSE completed" : "UNSELECT completed");
    }
}
