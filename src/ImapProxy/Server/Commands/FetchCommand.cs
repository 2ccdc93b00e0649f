using ImapProxy.Protocol;
using ImapProxy.Server.Fetch;
using ImapProxy.Store;

namespace ImapProxy.Server.Commands;

/// <summary>
/// FETCH and UID FETCH (RFC 3501 §6.4.5), with MODSEQ and CHANGEDSINCE (CONDSTORE) and VANISHED (QRESYNC,
/// RFC 7162 §3.2.6). Each message is written as soon as it is ready; the writer flushes with backpressure.
/// </summary>
internal sealed class FetchCommand : ICommandHandler
{
    private readonly bool _byUid;

    public FetchCommand(bool byUid) => _byUid = byUid;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var args = context.Args;
        var session = context.Session;
        var selected = context.Selected;
        var set = SequenceSets.Parse(args.Atom("sequence set"));
        var items = FetchItemParser.Parse(args.Next("FETCH items"));
        ulong? changedSince = null;
        bool vanished = false;
        if (!args.AtEnd)
        {
            var modifiers = args.List("FETCH modifiers");
            for (int i = 0; i < modifiers.Count; i++)
            {
                if (modifiers[i].IsAtom("CHANGEDSINCE") && i + 1 < modifiers.Count && modifiers[i + 1].TryGetNumber(out var since))
                {
                    changedSince = since;
                    i++;
                }
                else if (modifiers[i].IsAtom("VANISHED") && _byUid && session.Enabled.Contains("QRESYNC"))
                {
                    vanished = true;
                }
                else
                {
                    throw new CommandSyntaxException($"Unknown FETCH modifier {ImapSession.Printable(modifiers[i].ToString())}");
                }
            }
            if (vanished && changedSince is null)
            {
                throw new CommandSyntaxException("VANISHED needs CHANGEDSINCE");
            }
        }
        args.End();
        if (changedSince is not null || items.Any(i => i.Kind == FetchKind.ModSeq))
        {
            session.CondStoreActive = true; // RFC 7162 §3.1: a CONDSTORE-aware command enables it for the session.
        }
        if (changedSince is not null && !items.Any(i => i.Kind == FetchKind.ModSeq))
        {
            items.Add(new FetchItem(FetchKind.ModSeq, "MODSEQ"));
        }
        if (_byUid && !items.Any(i => i.Kind == FetchKind.Uid))
        {
            items.Insert(0, new FetchItem(FetchKind.Uid, "UID")); // RFC 3501 §6.4.8: UID FETCH always returns UID.
        }
        if (vanished)
        {
            var gone = await selected.Folder.GetExpungedSinceAsync(changedSince!.Value, context.CancellationToken).ConfigureAwait(false);
            var inSet = gone.Where(u => set.Contains(u, selected.LastUid)).ToList();
            if (inSet.Count > 0)
            {
                context.Writer.Untagged("VANISHED (EARLIER) " + SequenceSetText.Format(inSet));
            }
        }

        var seqs = selected.Resolve(set, _byUid);
        var writer = new FetchResponseWriter(context, items);
        bool someExpunged = false;
        foreach (var seq in seqs)
        {
            var message = selected[seq];
            if (changedSince is { } since && message.ModSeq <= since)
            {
                continue;
            }
            if (selected.IsExpungedPending(message.Uid) && (items.Any(i => i.NeedsContent || i.NeedsDetails)))
            {
                someExpunged = true; // its file is gone; RFC 2180 §4.1.3 lets us answer NO for it
                continue;
            }
            try
            {
                await writer.WriteAsync(seq, message).ConfigureAwait(false);
            }
            catch (MessageNotFoundException)
            {
                someExpunged = true;
            }
            await context.Writer.FlushIfFullAsync(context.CancellationToken).ConfigureAwait(false);
        }
        return someExpunged
            ? CommandResult.No("Some messages were expunged meanwhile", "EXPUNGEISSUED")
            : CommandResult.Ok("FETCH completed");
    }
}
