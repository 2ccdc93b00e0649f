using ImapProxy.Store;

namespace ImapProxy.Server.Commands;

/// <summary>SELECT and EXAMINE (RFC 3501 §6.3.1–2), with the CONDSTORE and QRESYNC parameters (RFC 7162).</summary>
internal sealed class SelectCommand : ICommandHandler
{
    private readonly bool _readOnly;

    public SelectCommand(bool readOnly) => _readOnly = readOnly;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var session = context.Session;
        var name = MailboxNames.FromWire(context.Args.Astring("mailbox name"));
        var parameters = context.Args.AtEnd ? [] : context.Args.List("SELECT parameters");
        context.Args.End();
        var qresync = QresyncParameters.Parse(parameters, session);

        if (session.Selected is { } previous)
        {
            // RFC 3501 §6.3.1: the old mailbox is deselected even if this SELECT fails.
            await previous.DisposeAsync().ConfigureAwait(false);
            session.Selected = null;
            if (session.Enabled.Contains("QRESYNC"))
            {
                context.Writer.Untagged("OK [CLOSED] Previous mailbox closed");
            }
        }
        MailFolder folder;
        try
        {
            folder = await context.Account.OpenFolderAsync(name, context.CancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException)
        {
            return CommandResult.No($"Mailbox does not exist: {ImapSession.Printable(name)}", "NONEXISTENT");
        }
        var selected = await SelectedMailbox.OpenAsync(folder, _readOnly, context.CancellationToken).ConfigureAwait(false);
        session.Selected = selected;
        WriteSelectResponses(context, selected);
        if (qresync is not null)
        {
            await qresync.ReportAsync(context, selected).ConfigureAwait(false);
        }
        return CommandResult.Ok(_readOnly ? "EXAMINE completed" : "SELECT completed", _readOnly ? "READ-ONLY" : "READ-WRITE");
    }

    private void WriteSelectResponses(CommandContext context, SelectedMailbox selected)
    {
        var writer = context.Writer;
        writer.Untagged($"FLAGS ({FlagNames.Defined})");
        writer.Untagged(_readOnly
            ? "OK [PERMANENTFLAGS ()] Read-only mailbox"
            : $"OK [PERMANENTFLAGS ({FlagNames.Defined} \\*)] Flags permitted");
        writer.Bytes("* "u8).Number(selected.Count).Bytes(" EXISTS\r\n* "u8).Number(selected.RecentCount).Bytes(" RECENT\r\n"u8);
        for (int seq = 1; seq <= selected.Count; seq++)
        {
            if ((selected[seq].Flags & MessageFlags.Seen) == 0)
            {
                writer.Bytes("* OK [UNSEEN "u8).Number(seq).Bytes("] First unseen\r\n"u8);
                break;
            }
        }
        writer.Bytes("* OK [UIDVALIDITY "u8).Number(selected.Folder.UidValidity).Bytes("] UIDs valid\r\n"u8);
        writer.Bytes("* OK [UIDNEXT "u8).Number(selected.UidNext).Bytes("] Predicted next UID\r\n"u8);
        writer.Bytes("* OK [HIGHESTMODSEQ "u8).Number((long)selected.HighestModSeq).Bytes("] Highest\r\n"u8);
    }
}
