using ImapProxy.Store;

namespace ImapProxy.Server.Commands;

/// <summary>COPY / UID COPY (RFC 3501 §6.4.7) and MOVE / UID MOVE (RFC 6851), answering COPYUID (UIDPLUS, RFC 4315).</summary>
internal sealed class CopyCommand : ICommandHandler
{
    private readonly bool _byUid;
    private readonly bool _move;

    public CopyCommand(bool byUid, bool move)
    {
        _byUid = byUid;
        _move = move;
    }

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var selected = context.Selected;
        var set = SequenceSets.Parse(context.Args.Atom("sequence set"));
        var targetName = MailboxNames.FromWire(context.Args.Astring("target mailbox"));
        context.Args.End();
        var seqs = selected.Resolve(set, _byUid);
        if (_move && selected.ReadOnly)
        {
            return CommandResult.No("Mailbox is read-only", "READ-ONLY");
        }
        MailFolder target;
        try
        {
            target = await context.Account.OpenFolderAsync(targetName, context.CancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException)
        {
            return CommandResult.No($"Mailbox does not exist: {ImapSession.Printable(targetName)}", "TRYCREATE");
        }
        var uids = seqs.Select(seq => selected[seq].Uid).Where(uid => !selected.IsExpungedPending(uid)).ToList();
        if (uids.Count == 0)
        {
            return seqs.Count == 0 ? CommandResult.Ok("Nothing to do") : CommandResult.No("The messages were expunged", "EXPUNGEISSUED");
        }
        var result = _move
            ? await selected.Folder.MoveToAsync(uids, target, context.CancellationToken).ConfigureAwait(false)
            : await selected.Folder.CopyToAsync(uids, target, context.CancellationToken).ConfigureAwait(false);
        var code = result.Pairs.Count == 0
            ? null
            : $"COPYUID {result.TargetUidValidity} {SequenceSetText.Format(result.Pairs.Select(p => p.SourceUid).ToList())} {SequenceSetText.Format(result.Pairs.Select(p => p.TargetUid).ToList())}";
        if (_move)
        {
            // RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGEs.
            if (code is not null)
            {
                context.Writer.Untagged($"OK [{code}] Moved");
            }
            selected.ReportOwnExpunges(context.Session, result.Pairs.Select(p => p.SourceUid));
            return CommandResult.Ok("MOVE completed");
        }
        return CommandResult.Ok("COPY completed", code);
    }
}
