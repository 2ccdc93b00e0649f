namespace ImapProxy.Configuration;

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

/// <summary>What <c>--trace</c> writes to stderr.</summary>
[Flags]
public enum TraceTargets
{
    /// <summary>Nothing is traced.</summary>
    None = 0,

    /// <summary>IMAP protocol lines (upstream and local), with credentials masked.</summary>
    Imap = 1,
}
