namespace ImapProxy.Server;

/// <summary>The IMAP connection states of RFC 3501 §3.</summary>
internal enum SessionState
{
    NotAuthenticated,
    Authenticated,
    Selected,
    Logout,
}

/// <summary>Which states a command may run in (a command-table column).</summary>
[Flags]
internal enum AllowedStates
{
    None = 0,
    NotAuthenticated = 1,
    Authenticated = 2,
    Selected = 4,
    Any = NotAuthenticated | Authenticated | Selected,
    LoggedIn = Authenticated | Selected,
}

/// <summary>
/// The session's state transitions in one table: (state, command, outcome) → next state.
/// Commands not listed leave the state as it is.
/// </summary>
internal static class SessionStateTable
{
    private static readonly (AllowedStates From, string Command, CommandOutcome? Outcome, SessionState To)[] Transitions =
    [
        (AllowedStates.NotAuthenticated, "LOGIN", CommandOutcome.Ok, SessionState.Authenticated),
        (AllowedStates.NotAuthenticated, "AUTHENTICATE", CommandOutcome.Ok, SessionState.Authenticated),
        (AllowedStates.LoggedIn, "SELECT", CommandOutcome.Ok, SessionState.Selected),
        (AllowedStates.LoggedIn, "EXAMINE", CommandOutcome.Ok, SessionState.Selected),
        // RFC 3501 §6.3.1: a failed SELECT leaves no mailbox selected.
        (AllowedStates.LoggedIn, "SELECT", CommandOutcome.No, SessionState.Authenticated),
        (AllowedStates.LoggedIn, "EXAMINE", CommandOutcome.No, SessionState.Authenticated),
        (AllowedStates.Selected, "CLOSE", CommandOutcome.Ok, SessionState.Authenticated),
        (AllowedStates.Selected, "UNSELECT", CommandOutcome.Ok, SessionState.Authenticated),
        (AllowedStates.Any, "LOGOUT", null, SessionState.Logout),
    ];

    /// <summary>The state after <paramref name="command"/> finished with <paramref name="outcome"/> in <paramref name="current"/>.</summary>
    public static SessionState Next(SessionState current, string command, CommandOutcome outcome)
    {
        foreach (var (from, name, wanted, to) in Transitions)
        {
            if (Includes(from, current) && name == command && (wanted is null || wanted == outcome))
            {
                return to;
            }
        }
        return current;
    }

    /// <summary>Whether the allowed-states column admits the current state.</summary>
    public static bool Includes(AllowedStates allowed, SessionState state) => state switch
    {
        SessionState.NotAuthenticated => allowed.HasFlag(AllowedStates.NotAuthenticated),
        SessionState.Authenticated => allowed.HasFlag(AllowedStates.Authenticated),
        SessionState.Selected => allowed.HasFlag(AllowedStates.Selected),
        _ => false,
    };
}
