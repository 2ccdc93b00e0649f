namespace ImapProxy.Server;

/// <summary>
/// Command-table flags, after Dovecot's <c>COMMAND_FLAG_USES_SEQS</c> / <c>COMMAND_FLAG_BREAKS_SEQS</c>.
/// </summary>
[Flags]
internal enum CommandFlags
{
    None = 0,

    /// <summary>
    /// The command names messages by sequence number. RFC 3501 §7.4.1: no EXPUNGE may be sent while it runs
    /// or right behind it, so pending expunges wait for the next command that allows them.
    /// </summary>
    UsesSequenceNumbers = 1,

    /// <summary>
    /// The command can renumber messages (EXPUNGE, MOVE, CLOSE...). RFC 3501 §5.5: a pipelined command that
    /// uses sequence numbers must not run before this one finished. This server runs a connection's commands
    /// strictly one after the other (it does not read the next command before the tagged reply), so such a
    /// command always waits rather than being refused with BAD [CLIENTBUG].
    /// </summary>
    BreaksSequenceNumbers = 2,

    /// <summary>The command's arguments may carry a message literal too large for memory; it streams to a file (APPEND).</summary>
    StreamsLiteral = 4,

    /// <summary>The command takes over the connection (STARTTLS, IDLE, AUTHENTICATE): no pipelined command may be read behind it.</summary>
    OwnsConnection = 8,
}
