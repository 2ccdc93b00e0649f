using ImapProxy.Server.Commands;

namespace ImapProxy.Server;

/// <summary>One row of the command table.</summary>
internal sealed record CommandEntry(string Name, ICommandHandler Handler, AllowedStates States, CommandFlags Flags = CommandFlags.None);

/// <summary>Every command this server knows: name → handler, the states it may run in, and its pipelining flags.</summary>
internal static class CommandTable
{
    private const CommandFlags Uses = CommandFlags.UsesSequenceNumbers;
    private const CommandFlags Breaks = CommandFlags.BreaksSequenceNumbers;
    private const AllowedStates Any = AllowedStates.Any;
    private const AllowedStates LoggedIn = AllowedStates.LoggedIn;
    private const AllowedStates Selected = AllowedStates.Selected;

    private static readonly Dictionary<string, CommandEntry> Entries = new CommandEntry[]
    {
        new("CAPABILITY", new CapabilityCommand(), Any),
        new("NOOP", new NoopCommand(), Any),
        new("LOGOUT", new LogoutCommand(), Any),
        new("ID", new IdCommand(), Any),
        new("STARTTLS", new StartTlsCommand(), AllowedStates.NotAuthenticated, CommandFlags.OwnsConnection),
        new("LOGIN", new LoginCommand(), AllowedStates.NotAuthenticated),
        new("AUTHENTICATE", new AuthenticateCommand(), AllowedStates.NotAuthenticated, CommandFlags.OwnsConnection),
        new("ENABLE", new EnableCommand(), LoggedIn),
        new("NAMESPACE", new NamespaceCommand(), LoggedIn),
        new("SELECT", new SelectCommand(readOnly: false), LoggedIn, Breaks),
        new("EXAMINE", new SelectCommand(readOnly: true), LoggedIn, Breaks),
        new("CREATE", new CreateCommand(), LoggedIn),
        new("DELETE", new DeleteCommand(), LoggedIn),
        new("RENAME", new RenameCommand(), LoggedIn),
        new("SUBSCRIBE", new SubscribeCommand(subscribe: true), LoggedIn),
        new("UNSUBSCRIBE", new SubscribeCommand(subscribe: false), LoggedIn),
        new("LIST", new ListCommand(lsub: false), LoggedIn),
        new("LSUB", new ListCommand(lsub: true), LoggedIn),
        new("STATUS", new StatusCommand(), LoggedIn),
        new("APPEND", new AppendCommand(), LoggedIn, CommandFlags.StreamsLiteral),
        new("IDLE", new IdleCommand(), LoggedIn, CommandFlags.OwnsConnection),
        new("CHECK", new CheckCommand(), Selected),
        new("CLOSE", new CloseCommand(expungeFirst: true), Selected, Breaks),
        new("UNSELECT", new CloseCommand(expungeFirst: false), Selected, Breaks),
        new("EXPUNGE", new ExpungeCommand(byUid: false), Selected, Breaks),
        new("UID EXPUNGE", new ExpungeCommand(byUid: true), Selected, Breaks),
        new("SEARCH", new SearchCommand(byUid: false), Selected, Uses),
        new("UID SEARCH", new SearchCommand(byUid: true), Selected),
        new("SORT", new SortCommand(byUid: false), Selected, Uses),
        new("UID SORT", new SortCommand(byUid: true), Selected),
        new("THREAD", new ThreadCommand(byUid: false), Selected, Uses),
        new("UID THREAD", new ThreadCommand(byUid: true), Selected),
        new("FETCH", new FetchCommand(byUid: false), Selected, Uses),
        new("UID FETCH", new FetchCommand(byUid: true), Selected),
        new("STORE", new StoreCommand(byUid: false), Selected, Uses),
        new("UID STORE", new StoreCommand(byUid: true), Selected),
        new("COPY", new CopyCommand(byUid: false, move: false), Selected, Uses),
        new("UID COPY", new CopyCommand(byUid: true, move: false), Selected),
        new("MOVE", new CopyCommand(byUid: false, move: true), Selected, Uses | Breaks),
        new("UID MOVE", new CopyCommand(byUid: true, move: true), Selected, Breaks),
    }.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The row for a command name (upper or lower case; UID commands as "UID FETCH"), or null.</summary>
    public static CommandEntry? Find(string name) => Entries.GetValueOrDefault(name);
}
