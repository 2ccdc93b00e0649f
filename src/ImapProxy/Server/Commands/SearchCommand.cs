using ImapProxy.Server.Search;

namespace ImapProxy.Server.Commands;

/// <summary>
/// SEARCH and UID SEARCH (RFC 3501 §6.4.4) with ESEARCH's RETURN options (RFC 4731) and the MODSEQ key
/// (CONDSTORE). Index-only programs never open a message file.
/// </summary>
internal sealed class SearchCommand : ICommandHandler
{
    private readonly bool _byUid;

    public SearchCommand(bool byUid) => _byUid = byUid;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var args = context.Args;
        var selected = context.Selected;
        var returns = EsearchResponse.ReadReturnOptions(args, "SEARCH");
        if (args.TryKeyword("CHARSET"))
        {
            var charset = args.Astring("charset");
            if (!charset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("US-ASCII", StringComparison.OrdinalIgnoreCase))
            {
                return CommandResult.No($"Charset {ImapSession.Printable(charset)} is not supported", "BADCHARSET (UTF-8 US-ASCII)");
            }
        }
        var (program, usesModSeq) = SearchParser.Parse(args.Rest(), selected);
        if (usesModSeq)
        {
            context.Session.CondStoreActive = true;
        }

        var matches = (await SearchRunner.MatchAsync(selected, program, context.CancellationToken).ConfigureAwait(false))
            .Select(seq => (Number: _byUid ? selected[seq].Uid : (uint)seq, selected[seq].ModSeq))
            .ToList();
        var writer = context.Writer;
        ulong highest = matches.Count == 0 ? 0 : matches.Max(m => m.ModSeq);
        if (returns is null)
        {
            writer.Bytes("* SEARCH"u8);
            foreach (var (number, _) in matches)
            {
                writer.Space().Number(number);
                await writer.FlushIfFullAsync(context.CancellationToken).ConfigureAwait(false);
            }
            if (usesModSeq && matches.Count > 0)
            {
                writer.Bytes(" (MODSEQ "u8).Number((long)highest).Bytes(")"u8);
            }
            writer.EndLine();
        }
        else
        {
            EsearchResponse.Write(writer, context.Command.Tag, _byUid, matches.Select(m => m.Number).ToList(), returns,
                usesModSeq ? highest : null);
        }
        return CommandResult.Ok("SEARCH completed");
    }
}
