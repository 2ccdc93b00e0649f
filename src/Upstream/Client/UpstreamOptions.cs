namespace ImapProxy.Upstream.Client;

/// <summary>How the connection to the upstream server is secured.</summary>
public enum TlsMode
{
    /// <summary>TLS from the first byte (usually port 993).</summary>
    Implicit,

    /// <summary>Plain connection upgraded with STARTTLS before anything else; refused if the server does not offer it.</summary>
    StartTls,

    /// <summary>No TLS at all; allowed for loopback hosts, or anywhere when <see cref="UpstreamOptions.AllowPlaintext"/> is set.</summary>
    None,
}

/// <summary>Supplies a secret (password or OAuth token) when a connection authenticates.</summary>
/// <param name="cancellationToken">Cancels the lookup.</param>
/// <returns>The secret, already trimmed.</returns>
public delegate ValueTask<string> SecretProvider(CancellationToken cancellationToken);

/// <summary>Everything the upstream client needs to reach and log in to one IMAP account.</summary>
public sealed record UpstreamOptions
{
    /// <summary>Server host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>TCP port; 0 picks 993 for implicit TLS and 143 otherwise.</summary>
    public int Port { get; init; }

    /// <summary>TLS mode; implicit TLS by default.</summary>
    public TlsMode Tls { get; init; } = TlsMode.Implicit;

    /// <summary>Allow <see cref="TlsMode.None"/> to a host that is not loopback.</summary>
    public bool AllowPlaintext { get; init; }

    /// <summary>
    /// Pinned SHA-256 fingerprint of the server certificate (hex, colons and case ignored). When set, a matching
    /// certificate is accepted even if the system store does not trust it, and any other certificate is refused.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>Login name.</summary>
    public required string User { get; init; }

    /// <summary>Password given directly (prefer <see cref="PasswordProvider"/>).</summary>
    public string? Password { get; init; }

    /// <summary>Password fetched at each login (for example from a password command).</summary>
    public SecretProvider? PasswordProvider { get; init; }

    /// <summary>OAuth 2 access token fetched at each login; enables XOAUTH2 and OAUTHBEARER.</summary>
    public SecretProvider? TokenProvider { get; init; }

    /// <summary>
    /// Authentication mechanisms in order of preference (names as in CAPABILITY AUTH=, plus "LOGIN" for the
    /// LOGIN command). Null means: OAUTHBEARER, XOAUTH2 when a token provider is set, else PLAIN then LOGIN.
    /// </summary>
    public IReadOnlyList<string>? Mechanisms { get; init; }

    /// <summary>Time allowed for DNS, TCP connect and the TLS handshake together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest silence from the server while a command is waiting for it (IDLE excepted).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>IDLE is ended and re-issued after this long (RFC 2177 says servers may drop it after 30 minutes).</summary>
    public TimeSpan IdleRefresh { get; init; } = TimeSpan.FromMinutes(25);

    /// <summary>Polling interval with NOOP when the server lacks IDLE.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Negotiate COMPRESS=DEFLATE when the server offers it.</summary>
    public bool Compress { get; init; } = true;

    /// <summary>Send ENABLE for CONDSTORE, QRESYNC and UTF8=ACCEPT after login when offered.</summary>
    public bool EnableExtensions { get; init; } = true;

    /// <summary>Longest response line accepted (bytes, literals excluded); longer is a protocol error.</summary>
    public int MaxLineLength { get; init; } = 1 << 20;

    /// <summary>Largest literal kept in memory; bodies bigger than this must be streamed to a sink.</summary>
    public int MaxInMemoryLiteral { get; init; } = 16 << 20;

    /// <summary>Largest literal accepted at all (streamed); beyond this the server is considered hostile.</summary>
    public long MaxLiteralSize { get; init; } = 1L << 31;

    /// <summary>The port actually used.</summary>
    public int EffectivePort => Port != 0 ? Port : Tls == TlsMode.Implicit ? 993 : 143;
}
