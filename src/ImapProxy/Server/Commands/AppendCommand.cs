using ImapProxy.Protocol;
using ImapProxy.Store;

namespace ImapProxy.Server.Commands;

/// <summary>
/// APPEND (RFC 3501 §6.3.11) with APPENDUID (UIDPLUS, RFC 4315) and APPENDLIMIT (RFC 7889). Large messages
/// arrive as a file (the command reader streamed the literal there), small ones from memory.
/// </summary>
internal sealed class AppendCommand : ICommandHandler
{
    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var args = context.Args;
        var name = MailboxNames.FromWire(args.Astring("mailbox name"));
        var flags = MessageFlags.None;
        List<string> keywords = [];
        if (args.NextIsList)
        {
            if (!FlagNames.TryParse(args.List("flag list").Select(ArgumentCursor.Text), out flags, out keywords, out var error))
            {
                return CommandResult.Bad(error!);
            }
        }
        DateTimeOffset? internalDate = null;
        if (!args.AtEnd && args.Peek().Kind == ImapValueKind.Quoted)
        {
            internalDate = ParseDateTime(args.Astring("date-time"));
        }
        var message = args.Next("message literal");
        if (message.Kind != ImapValueKind.Literal)
        {
            throw new CommandSyntaxException("APPEND needs the message as a literal");
        }
        args.End();
        var streamed = context.Command.Streamed.FirstOrDefault();
        if (streamed is { TooLarge: true })
        {
            return CommandResult.No($"Message exceeds APPENDLIMIT {context.Session.Options.AppendLimit}", "TOOBIG");
        }
        if (message.StreamedSize < 0 && message.Bytes.Length > context.Session.Options.AppendLimit)
        {
            return CommandResult.No($"Message exceeds APPENDLIMIT {context.Session.Options.AppendLimit}", "TOOBIG");
        }
        MailFolder folder;
        try
        {
            folder = await context.Account.OpenFolderAsync(name, context.CancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException)
        {
            return CommandResult.No($"Mailbox does not exist: {ImapSession.Printable(name)}", "TRYCREATE");
        }
        AppendResult result;
        if (message.StreamedSize >= 0 && streamed is not null)
        {
            await using var file = new FileStream(streamed.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
            result = await folder.AppendAsync(file, flags, keywords, internalDate, context.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var memory = new MemoryStream(message.Bytes.ToArray(), writable: false);
            result = await folder.AppendAsync(memory, flags, keywords, internalDate, context.CancellationToken).ConfigureAwait(false);
        }
        return CommandResult.Ok("APPEND completed", $"APPENDUID {result.UidValidity} {result.Uid}");
    }

    private static DateTimeOffset ParseDateTime(string text) =>
        ImapDate.TryParseDateTime(System.Text.Encoding.ASCII.GetBytes(text), out var value)
            ? value
            : throw new CommandSyntaxException($"Invalid date-time {ImapSession.Printable(text)}");
}
