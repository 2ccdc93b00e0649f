using ImapProxy.Protocol;
using ImapProxy.Server.Sort;

namespace ImapProxy.Server.Commands;

/// <summary>SORT and UID SORT (RFC 5256 §3), with the MODSEQ search key's response addition of RFC 7162 §3.1.5.</summary>
internal sealed class SortCommand : ICommandHandler
{
    private readonly bool _byUid;

    public SortCommand(bool byUid) => _byUid = byUid;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        IReadOnlyList<SortCriterion> criteria = [];
        var charset = SortSelection.ReadHead(context.Command.Parsed!, (ref ImapReader r) => r.TryReadSortCriteria(out criteria), "SORT");
        if (!SortSelection.IsKnownCharset(charset))
        {
            return CommandResult.No($"Charset {ImapSession.Printable(charset)} is not supported", SortSelection.BadCharsetCode);
        }
        var (messages, usesModSeq) = await SortSelection.LoadAsync(context, MessageSorter.PartsFor(criteria)).ConfigureAwait(false);
        var sorted = MessageSorter.Sort(messages, criteria);

        var writer = context.Writer;
        writer.Bytes("* SORT"u8);
        foreach (var message in sorted)
        {
            writer.Space().Number(_byUid ? message.Info.Uid : message.SequenceNumber);
            await writer.FlushIfFullAsync(context.CancellationToken).ConfigureAwait(false);
        }
        if (usesModSeq && sorted.Count > 0)
        {
            writer.Bytes(" (MODSEQ "u8).Number((long)sorted.Max(m => m.Info.ModSeq)).Bytes(")"u8);
        }
        writer.EndLine();
        return CommandResult.Ok("SORT completed");
    }
}
