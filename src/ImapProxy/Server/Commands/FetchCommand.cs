using ImapProxy.Protocol;
using ImapProxy.Server.Fetch;
using ImapProxy.Store;

namespace ImapProxy.Server.Commands;

/// <summary>
/// FETCH and UID FETCH (RFC 3501 §6.4.5), with MODSEQ and CHANGEDSINCE (CONDSTORE) and VANISHED (QRESYNC,
/// RFC 7162 §3.2.6). The items are parsed by the protocol library's grammar (<c>TryReadFetchAtts</c>); each
/// message is written as soon as it is ready, and the writer flushes with backpressure.
/// </summary>
internal sealed class FetchCommand : ICommandHandler
{
    private readonly bool _byUid;

    public FetchCommand(bool byUid) => _byUid = byUid;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var session = context.Session;
        var selected = context.Selected;
        var set = SequenceSets.Parse(context.Args.Atom("sequence set"));
        var request = ReadFetchAtts(context.Command.Parsed!);
        if (request.Vanished && !(_byUid && session.Enabled.Contains("QRESYNC")))
        {
            throw new CommandSyntaxException("VANISHED needs UID FETCH with QRESYNC enabled");
        }
        if (request.Vanished && request.ChangedSince is null)
        {
            throw new CommandSyntaxException("VANISHED needs CHANGEDSINCE");
        }
        var plan = FetchPlan.Create(request, _byUid);
        if (plan.HasModSeq)
        {
            session.CondStoreActive = true; // RFC 7162 §3.1: a CONDSTORE-aware command enables it for the session.
        }
        if (request.Vanished)
        {
            var gone = await selected.Folder.GetExpungedSinceAsync(request.ChangedSince!.Value, context.CancellationToken).ConfigureAwait(false);
            var inSet = gone.Where(u => set.Contains(u, selected.LastUid)).ToList();
            if (inSet.Count > 0)
            {
                context.Writer.Untagged("VANISHED (EARLIER) " + SequenceSetText.Format(inSet));
            }
        }

        var seqs = selected.Resolve(set, _byUid);
        using var writer = new FetchResponseWriter(context, plan);
        bool needsFile = plan.NeedsContent || plan.Summaries != SummaryParts.None;
        bool someExpunged = false;
        for (int i = 0; i < seqs.Count; i++)
        {
            int seq = seqs[i];
            var message = selected[seq];
            if (request.ChangedSince is { } since && message.ModSeq <= since)
            {
                continue;
            }
            if (needsFile && selected.IsExpungedPending(message.Uid))
            {
                someExpunged = true; // its file is gone; RFC 2180 §4.1.3 lets us answer NO for it
                continue;
            }
            try
            {
                await writer.PrepareAsync(seqs, i).ConfigureAwait(false);
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

    /// <summary>fetch-atts [SP fetch-modifiers] after the sequence set, by the protocol library's grammar rules.</summary>
    private static FetchRequest ReadFetchAtts(ImapCommand command)
    {
        var reader = command.CreateArgumentReader();
        if (reader.TryReadSpace() != ParseStatus.Ok || reader.TryReadSequenceSet(out _) != ParseStatus.Ok
            || reader.TryReadSpace() != ParseStatus.Ok || reader.TryReadFetchAtts(out var request) != ParseStatus.Ok
            || reader.TryReadCrlf() != ParseStatus.Ok)
        {
            throw new CommandSyntaxException("Invalid FETCH items" + Reason(reader.ErrorMessage));
        }
        return request;
    }

    private static string Reason(string? error) => error is null ? "" : ": " + ImapSession.Printable(error);
}
