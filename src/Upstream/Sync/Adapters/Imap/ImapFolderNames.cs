namespace ImapProxy.Upstream.Sync.Adapters.Imap;

/// <summary>
/// Translates between the engine's folder names (hierarchy delimiter <c>/</c>) and the server's (its own delimiter,
/// already decoded from modified UTF-7 by the client). A server name that contains <c>/</c> under another delimiter
/// has no engine name (it would come back as a different folder) and is left out of listings.
/// </summary>
internal sealed class ImapFolderNames(char? delimiter)
{
    /// <summary>The server's hierarchy delimiter, or null for a flat namespace.</summary>
    public char? Delimiter { get; } = delimiter;

    private bool Translates => Delimiter is { } d && d != '/';

    /// <summary>The server's name for an engine name.</summary>
    public string ToServer(string name) =>
        name.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : Translates ? name.Replace('/', Delimiter!.Value) : name;

    /// <summary>The engine's name for a server name; false when it cannot be represented.</summary>
    public bool TryFromServer(string serverName, out string name)
    {
        name = serverName;
        if (!Translates)
        {
            return true;
        }
        if (serverName.Contains('/'))
        {
            return false;
        }
        name = serverName.Replace(Delimiter!.Value, '/');
        return true;
    }
}
