using ImapProxy.Protocol;
using ImapProxy.Server.Sort;
using ImapProxy.Store;

namespace ImapProxy.Server.Commands;

/// <summary>THREAD and UID THREAD (RFC 5256 §3) with the ORDEREDSUBJECT and REFERENCES algorithms.</summary>
internal sealed class ThreadCommand : ICommandHandler
{
    private readonly bool _byUid;

    public ThreadCommand(bool byUid) => _byUid = byUid;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var algorithm = ThreadAlgorithm.Other;
        var name = "";
        var charset = SortSelection.ReadHead(context.Command.Parsed!, (ref ImapReader r) => r.TryReadThreadAlg(out algorithm, out name), "THREAD");
        if (algorithm == ThreadAlgorithm.Other)
        {
            // RFC 5256 §3: an algorithm the server does not support is a BAD.
            return CommandResult.Bad($"Threading algorithm {ImapSession.Printable(name)} is not supported (ORDEREDSUBJECT REFERENCES)");
        }
        if (!SortSelection.IsKnownCharset(charset))
        {
            return CommandResult.No($"Charset {ImapSession.Printable(charset)} is not supported", SortSelection.BadCharsetCode);
        }
        // Both algorithms compare base subjects and sent dates; REFERENCES also links by message ids.
        var parts = SortFieldParts.Date | SortFieldParts.Subject
                    | (algorithm == ThreadAlgorithm.References ? SortFieldParts.Threading : SortFieldParts.None);
        var (messages, _) = await SortSelection.LoadAsync(context, parts).ConfigureAwait(false);
        var threads = algorithm == ThreadAlgorithm.References
            ? ReferencesThreader.Thread(messages)
            : OrderedSubjectThreader.Thread(messages);

        var writer = context.Writer;
        writer.Bytes("* THREAD"u8);
        if (threads.Count > 0)
        {
            writer.Space().Ascii(ThreadNode.Format(threads, _byUid));
        }
        writer.EndLine();
        return CommandResult.Ok("THREAD completed");
    }
}
