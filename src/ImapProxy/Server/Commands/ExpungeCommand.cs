namespace ImapProxy.Server.Commands;

/// <summary>EXPUNGE (RFC 3501 §6.4.3) and UID EXPUNGE (UIDPLUS, RFC 4315 §2.1).</summary>
internal sealed class ExpungeCommand : ICommandHandler
{
    private readonly bool _byUid;

    public ExpungeCommand(bool byUid) => _byUid = byUid;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var selected = context.Selected;
        List<uint>? only = null;
        if (_byUid)
        {
            var set = SequenceSets.Parse(context.Args.Atom("UID set"));
            only = selected.Resolve(set, byUid: true).Select(seq => selected[seq].Uid).ToList();
        }
        context.Args.End();
        if (selected.ReadOnly)
        {
            return CommandResult.No("Mailbox is read-only", "READ-ONLY");
        }
        var expunged = await selected.Folder.ExpungeAsync(only, context.CancellationToken).ConfigureAwait(false);
        selected.ReportOwnExpunges(context.Session, expunged);
        return CommandResult.Ok(_byUid ? "UID EXPUNGE completed" : "EXPUNGE completed", HighestModSeqCode(context));
    }

    internal static string? HighestModSeqCode(CommandContext context) =>
        context.Session.CondStoreActive ? $"HIGHESTMODSEQ {context.Selected.HighestModSeq}" : null;
}
