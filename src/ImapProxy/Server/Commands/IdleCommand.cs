namespace ImapProxy.Server.Commands;

/// <summary>
/// IDLE (RFC 2177): changes to the selected mailbox are pushed as they happen until the client sends DONE.
/// The session's idle timeout still applies (RFC 2177 asks clients to re-issue IDLE within 29 minutes).
/// </summary>
internal sealed class IdleCommand : ICommandHandler
{
    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        context.Args.End();
        var session = context.Session;
        var token = context.CancellationToken;
        context.Writer.Continuation("idling");
        if (session.Selected is { } selected)
        {
            await selected.ReportChangesAsync(session, allowExpunge: true, token).ConfigureAwait(false);
        }
        await context.Writer.FlushAsync(token).ConfigureAwait(false);
        var done = session.Reader.ReadContinuationLineAsync(token).AsTask();
        while (true)
        {
            var changed = session.Selected?.WaitForChangesAsync(token) ?? Task.Delay(Timeout.Infinite, token);
            var first = await Task.WhenAny(done, changed).ConfigureAwait(false);
            if (first == done)
            {
                var line = await done.ConfigureAwait(false) ?? throw new ConnectionClosedException();
                return line.Equals("DONE", StringComparison.OrdinalIgnoreCase)
                    ? CommandResult.Ok("IDLE terminated")
                    : CommandResult.Bad("Expected DONE to end IDLE");
            }
            await changed.ConfigureAwait(false);
            await session.Selected!.ReportChangesAsync(session, allowExpunge: true, token).ConfigureAwait(false);
            await context.Writer.FlushAsync(token).ConfigureAwait(false);
        }
    }
}
