namespace ImapProxy.Configuration;

/// <summary>How the connection to the upstream server is secured (key <c>tls</c>).</summary>
public enum TlsMode
{
    /// <summary>TLS from the first byte (<c>implicit</c>, usually port 993). The default.</summary>
    Implicit,

    /// <summary>Plain connection upgraded with STARTTLS before login (<c>starttls</c>, usually port 143); failure to upgrade is fatal.</summary>
    StartTls,

    /// <summary>No TLS at all (<c>none</c>); only allowed with <c>allowplaintext = yes</c>.</summary>
    None,
}

/// <summary>How the proxy authenticates to the upstream server (key <c>auth</c>).</summary>
public enum AuthMechanism
{
    /// <summary>
    /// Pick from what the server advertises: with a <c>tokencommand</c>, OAUTHBEARER then XOAUTH2; otherwise
    /// AUTHENTICATE PLAIN when advertised, else LOGIN. The default.
    /// </summary>
    Auto,

    /// <summary>The LOGIN command with user and password.</summary>
    Login,

    /// <summary>AUTHENTICATE PLAIN (RFC 4616) with user and password.</summary>
    Plain,

    /// <summary>AUTHENTICATE XOAUTH2 (Google, Microsoft) with the token from <c>tokencommand</c>.</summary>
    XOAuth2,

    /// <summary>AUTHENTICATE OAUTHBEARER (RFC 7628) with the token from <c>tokencommand</c>.</summary>
    OAuthBearer,
}

/// <summary>How folder names map to directories in the local Maildir (key <c>layout</c>).</summary>
public enum MaildirLayout
{
    /// <summary>Maildir++: one flat level of <c>.Parent.Child</c> directories under the account's Maildir. The default.</summary>
    MaildirPlusPlus,

    /// <summary>File-system layout: nested directories <c>Parent/Child</c>, each one a Maildir.</summary>
    Fs,
}

/// <summary>What <c>--trace</c> writes to stderr.</summary>
[Flags]
public enum TraceTargets
{
    /// <summary>Nothing is traced.</summary>
    None = 0,

    /// <summary>IMAP protocol lines (upstream and local), with credentials masked.</summary>
    Imap = 1,
}
