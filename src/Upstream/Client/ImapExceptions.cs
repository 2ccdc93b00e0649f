namespace ImapProxy.Upstream.Client;

/// <summary>
/// The connection to the server is unusable: malformed or hostile data, a timeout, a dropped connection, a TLS or
/// connect failure. The client that threw it must be disposed and a new connection made.
/// </summary>
public class ImapProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ImapProtocolException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Connecting or securing the connection failed (DNS, TCP, TLS, certificate, STARTTLS missing).</summary>
public sealed class ImapConnectionException : ImapProtocolException
{
    /// <summary>Creates the exception.</summary>
    public ImapConnectionException(string message, bool permanent, Exception? inner = null) : base(message, inner)
        => IsPermanent = permanent;

    /// <summary>True when retrying cannot help (certificate refused, STARTTLS not offered, plaintext forbidden).</summary>
    public bool IsPermanent { get; }
}

/// <summary>The server answered a command with NO or BAD; the connection stays usable.</summary>
public class ImapCommandException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ImapCommandException(string command, string status, string? responseCode, string text)
        : base($"{command} failed: {status}{(responseCode is null ? "" : $" [{responseCode}]")} {text}")
    {
        Command = command;
        Status = status;
        ResponseCode = responseCode;
        ServerText = text;
    }

    /// <summary>The command name (never its arguments, which may hold secrets).</summary>
    public string Command { get; }

    /// <summary>"NO" or "BAD".</summary>
    public string Status { get; }

    /// <summary>The response code atom with its arguments, e.g. "TRYCREATE" or "AUTHENTICATIONFAILED".</summary>
    public string? ResponseCode { get; }

    /// <summary>The human-readable text from the server.</summary>
    public string ServerText { get; }
}

/// <summary>Login was refused (wrong credentials, mechanism refused, LOGINDISABLED with no alternative).</summary>
public sealed class ImapAuthenticationException : ImapCommandException
{
    /// <summary>Creates the exception.</summary>
    public ImapAuthenticationException(string command, string status, string? responseCode, string text)
        : base(command, status, responseCode, text) { }
}
