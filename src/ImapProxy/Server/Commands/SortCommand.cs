using ImapProxy.Protocol;
using ImapProxy.Server.Search;
using ImapProxy.Server.Sort;

namespace ImapProxy.Server.Commands;

/// <summary>SORT and UID SORT (RFC 5256 §3), with the MODSEQ search key's response addition of RFC 7162 §3.1.5 and
/// ESORT's RETURN options (RFC 5267 §3).</summary>
internal sealed class SortCommand : ICommandHandler
{
    private readonly bool _byUid;

    public SortCommand(bool byUid) => _byUid = byUid;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        IReadOnlyList<SortCriterion> criteria = [];
        var charset = SortSelection.ReadHead(context.Command.Parsed!, (ref ImapReader r) => r.TryReadSortCriteria(out criteria), "SORT", mayReturn: true);
        var returns = EsearchResponse.ReadReturnOptions(context.Args, "SORT");
        if (!SortSelection.IsKnownCharset(charset))
        {
            return CommandResult.No($"Charset {ImapSession.Printable(charset)} is not supported", SortSelection.BadCharsetCode);
        }
        var (messages, usesModSeq) = await SortSelection.LoadAsync(context, MessageSorter.PartsFor(criteria)).ConfigureAwait(false);
        var sorted = MessageSorter.Sort(messages, criteria);
        ulong? highestModSeq = usesModSeq && sorted.Count > 0 ? sorted.Max(m => m.Info.ModSeq) : null;

        var writer = context.Writer;
        if (returns is not null)
        {
            // ESORT (RFC 5267 §3): the ESEARCH response, its numbers in sort order.
            EsearchResponse.Write(writer, context.Command.Tag, _byUid,
                sorted.Select(m => _byUid ? m.Info.Uid : (uint)m.SequenceNumber).ToList(), returns, highestModSeq);
            return CommandResult.Ok("SORT completed");
        }
        writer.Bytes("* SORT"u8);
        foreach (var message in sorted)
        {
            writer.Space().Number(_byUid ? message.Info.Uid : message.SequenceNumber);
            await writer.FlushIfFullAsync(context.CancellationToken).ConfigureAwait(false);
        }
        if (highestModSeq is { } modSeq)
        {
            writer.Bytes(" (MODSEQ "u8).Number((long)modSeq).Bytes(")"u8);
        }
        writer.EndLine();
        return CommandResult.Ok("SORT completed");
    }
}
