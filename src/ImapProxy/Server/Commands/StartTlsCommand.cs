namespace ImapProxy.Server.Commands;

/// <summary>
/// STARTTLS (RFC 3501 §6.2.1). The handshake starts after the tagged OK went out; whatever the client had
/// already sent behind the STARTTLS line is thrown away (the STARTTLS command-injection attack, CVE-2011-0411 in Postfix).
/// </summary>
internal sealed class StartTlsCommand : ICommandHandler
{
    public ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        context.Args.End();
        var session = context.Session;
        if (session.IsTls)
        {
            return ValueTask.FromResult(CommandResult.Bad("TLS is already active"));
        }
        if (!session.CanStartTls)
        {
            return ValueTask.FromResult(CommandResult.No("STARTTLS is not available: no certificate configured"));
        }
        session.DiscardPlaintextBeforeTls();
        context.Command.AfterReply = () => session.StartTlsAsync(context.CancellationToken);
        return ValueTask.FromResult(CommandResult.Ok("Begin TLS negotiation now"));
    }
}
