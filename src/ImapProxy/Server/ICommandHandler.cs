using ImapProxy.Store;

namespace ImapProxy.Server;

/// <summary>One IMAP command's behaviour. Handlers write their untagged responses; the session writes the tagged one.</summary>
internal interface ICommandHandler
{
    ValueTask<CommandResult> ExecuteAsync(CommandContext context);
}

/// <summary>What a handler works with: the session, the parsed command and the cancellation of this connection.</summary>
internal sealed class CommandContext
{
    public CommandContext(ImapSession session, IncomingCommand command, CancellationToken cancellationToken)
    {
        Session = session;
        Command = command;
        CancellationToken = cancellationToken;
    }

    public ImapSession Session { get; }

    public IncomingCommand Command { get; }

    public ArgumentCursor Args => Command.Arguments;

    public ResponseWriter Writer => Session.Writer;

    public CancellationToken CancellationToken { get; }

    /// <summary>The selected mailbox; the command table guarantees one for selected-state commands.</summary>
    public SelectedMailbox Selected => Session.Selected ?? throw new InvalidOperationException("no mailbox selected");

    /// <summary>The logged-in account; the command table guarantees one for authenticated-state commands.</summary>
    public AccountStore Account => Session.Account ?? throw new InvalidOperationException("not logged in");
}

/// <summary>Bad command syntax found by a handler while reading its arguments; becomes a tagged BAD.</summary>
internal sealed class CommandSyntaxException : Exception
{
    public CommandSyntaxException(string message) : base(message)
    {
    }
}

/// <summary>The client broke the protocol so badly that the connection cannot continue; the session says BYE.</summary>
internal sealed class ProtocolViolationException : Exception
{
    public ProtocolViolationException(string message) : base(message)
    {
    }
}
