namespace ImapProxy.Server;

/// <summary>The CAPABILITY list: only what this server implements and tests.</summary>
internal static class Capabilities
{
    /// <summary>Offered before and after login.</summary>
    private static readonly string[] Always = ["IMAP4rev1", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE"];

    /// <summary>Offered once logged in (RFC 3501 §6.2: clients ask again after authentication).</summary>
    private static readonly string[] AfterLogin =
    [
        "NAMESPACE", "UNSELECT", "UIDPLUS", "MOVE", "CHILDREN", "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE",
        "CONDSTORE", "QRESYNC", "ESEARCH", "SORT", "ESORT", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES", "STATUS=SIZE",
    ];

    /// <summary>The list right after a successful login, before the state table has moved the session on.</summary>
    public static string ForLoggedIn(ImapSession session) => string.Join(' ', Always.Concat(AfterLogin).Append($"APPENDLIMIT={session.Options.AppendLimit}"));

    public static string For(ImapSession session)
    {
        var list = new List<string>(Always);
        if (session.State == SessionState.NotAuthenticated)
        {
            if (session.CanStartTls)
            {
                list.Add("STARTTLS");
            }
            list.Add(session.PasswordsAllowed ? "AUTH=PLAIN" : "LOGINDISABLED");
        }
        else
        {
            list.AddRange(AfterLogin);
            list.Add($"APPENDLIMIT={session.Options.AppendLimit}");
        }
        return string.Join(' ', list);
    }
}
