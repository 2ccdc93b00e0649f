using ImapProxy.Store;

namespace ImapProxy.Server.Commands;

/// <summary>STORE and UID STORE (RFC 3501 §6.4.6), with UNCHANGEDSINCE and MODIFIED (CONDSTORE, RFC 7162 §3.1.3).</summary>
internal sealed class StoreCommand : ICommandHandler
{
    private readonly bool _byUid;

    public StoreCommand(bool byUid) => _byUid = byUid;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var args = context.Args;
        var selected = context.Selected;
        var session = context.Session;
        var set = SequenceSets.Parse(args.Atom("sequence set"));
        ulong? unchangedSince = null;
        if (args.NextIsList)
        {
            var modifiers = args.List("STORE modifiers");
            if (modifiers.Count != 2 || !modifiers[0].IsAtom("UNCHANGEDSINCE") || !modifiers[1].TryGetNumber(out var since))
            {
                throw new CommandSyntaxException("Expected (UNCHANGEDSINCE modseq)");
            }
            unchangedSince = since;
            session.CondStoreActive = true;
        }
        var item = args.Atom("store data item").ToUpperInvariant();
        var (mode, silent) = item switch
        {
            "FLAGS" => (FlagChangeMode.Replace, false),
            "FLAGS.SILENT" => (FlagChangeMode.Replace, true),
            "+FLAGS" => (FlagChangeMode.Add, false),
            "+FLAGS.SILENT" => (FlagChangeMode.Add, true),
            "-FLAGS" => (FlagChangeMode.Remove, false),
            "-FLAGS.SILENT" => (FlagChangeMode.Remove, true),
            _ => throw new CommandSyntaxException($"Unknown STORE item {ImapSession.Printable(item)}"),
        };
        var flagNames = args.NextIsList ? args.List("flag list").Select(ArgumentCursor.Text).ToList() : args.Rest().Select(ArgumentCursor.Text).ToList();
        args.End();
        if (!FlagNames.TryParse(flagNames, out var flags, out var keywords, out var error))
        {
            return CommandResult.Bad(error!);
        }
        var seqs = selected.Resolve(set, _byUid);
        if (selected.ReadOnly)
        {
            return CommandResult.No("Mailbox is read-only", "READ-ONLY");
        }
        var uids = seqs.Select(seq => selected[seq].Uid).Where(uid => !selected.IsExpungedPending(uid)).ToList();
        var result = await selected.Folder.StoreFlagsAsync(uids, mode, flags, keywords, unchangedSince, context.CancellationToken).ConfigureAwait(false);
        foreach (var message in result.Updated)
        {
            int seq = selected.SequenceOf(message.Uid);
            bool changed = seq > 0 && selected[seq].ModSeq < message.ModSeq;
            selected.Update(message);
            if (session.CondStoreActive)
            {
                // RFC 7162 §3.1.3: with CONDSTORE the client must learn each new MODSEQ, .SILENT or not. Like Dovecot
                // 2.3.19, a message this STORE left as it was gets no FETCH: its MODSEQ did not move.
                if (changed)
                {
                    selected.WriteFlagsFetch(session, seq, withUid: _byUid, withFlags: !silent);
                }
            }
            else if (!silent && seq > 0)
            {
                selected.WriteFlagsFetch(session, seq, withUid: _byUid);
            }
        }
        await context.Writer.FlushIfFullAsync(context.CancellationToken).ConfigureAwait(false);
        var missing = uids.Count - result.Updated.Count - result.Modified.Count;
        if (result.Modified.Count > 0)
        {
            var numbers = result.Modified.Select(uid => _byUid ? uid : (uint)selected.SequenceOf(uid)).Order().ToList();
            return CommandResult.Ok("Conditional STORE failed for some messages", "MODIFIED " + SequenceSetText.Format(numbers));
        }
        return missing > 0 || uids.Count < seqs.Count
            ? CommandResult.No("Some of the messages were expunged", "EXPUNGEISSUED")
            : CommandResult.Ok("STORE completed");
    }
}
