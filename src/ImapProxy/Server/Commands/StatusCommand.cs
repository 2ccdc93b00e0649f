using ImapProxy.Protocol;
using ImapProxy.Store;

namespace ImapProxy.Server.Commands;

/// <summary>STATUS (RFC 3501 §6.3.10), with HIGHESTMODSEQ (RFC 7162), SIZE (RFC 8438) and APPENDLIMIT (RFC 7889).</summary>
internal sealed class StatusCommand : ICommandHandler
{
    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var wireName = context.Args.Astring("mailbox name");
        var name = MailboxNames.FromWire(wireName);
        var items = StatusItems.Parse(context.Args.List("status data items"));
        context.Args.End();
        var folder = await context.Account.OpenFolderAsync(name, context.CancellationToken).ConfigureAwait(false);
        await StatusItems.WriteAsync(context, folder, items).ConfigureAwait(false);
        return CommandResult.Ok("STATUS completed");
    }
}

/// <summary>The STATUS data items, shared by STATUS and LIST's RETURN (STATUS ...) (RFC 5819).</summary>
internal static class StatusItems
{
    private static readonly string[] Known = ["MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "HIGHESTMODSEQ", "SIZE", "APPENDLIMIT"];

    public static IReadOnlyList<string> Parse(IReadOnlyList<ImapValue> list)
    {
        if (list.Count == 0)
        {
            throw new CommandSyntaxException("STATUS needs at least one data item");
        }
        var items = new List<string>();
        foreach (var value in list)
        {
            var item = value.Kind == ImapValueKind.Atom ? value.AsString()!.ToUpperInvariant() : "";
            if (!Known.Contains(item))
            {
                throw new CommandSyntaxException($"Unknown STATUS item {ImapSession.Printable(value.ToString())}");
            }
            items.Add(item);
        }
        return items;
    }

    public static async Task WriteAsync(CommandContext context, MailFolder folder, IReadOnlyList<string> items)
    {
        var status = await folder.GetStatusAsync(context.CancellationToken).ConfigureAwait(false);
        // RFC 3501 §6.3.10: RECENT counts what the next SELECT would see as \Recent.
        int recent = items.Contains("RECENT") ? await folder.CountRecentAsync(context.CancellationToken).ConfigureAwait(false) : 0;
        long size = 0;
        if (items.Contains("SIZE"))
        {
            var snapshot = await folder.SelectAsync(context.CancellationToken).ConfigureAwait(false);
            size = snapshot.Messages.Sum(m => m.Size);
        }
        var writer = context.Writer;
        writer.Bytes("* STATUS "u8).AString(MailboxNames.ToWire(folder.Name)).Bytes(" ("u8);
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                writer.Space();
            }
            writer.Ascii(items[i]).Space();
            writer.Number(items[i] switch
            {
                "MESSAGES" => status.Messages,
                "RECENT" => recent,
                "UIDNEXT" => status.UidNext,
                "UIDVALIDITY" => status.UidValidity,
                "UNSEEN" => status.Unseen,
                "HIGHESTMODSEQ" => (long)status.HighestModSeq,
                "SIZE" => size,
                _ => context.Session.Options.AppendLimit,
            });
        }
        writer.Bytes(")\r\n"u8);
        await writer.FlushIfFullAsync(context.CancellationToken).ConfigureAwait(false);
    }
}
