namespace ImapProxy.TestSupport;

/// <summary>A mail account on a Dovecot test bed. Neither part may contain ':' or a line break.</summary>
public sealed record DovecotUser(string Name, string Password);

/// <summary>How a <see cref="DovecotTestBed"/> is set up.</summary>
public sealed record DovecotOptions
{
    /// <summary>The accounts; the first one is <see cref="DovecotTestBed.DefaultUser"/>.</summary>
    public IReadOnlyList<DovecotUser> Users { get; init; } = [new("alice", "secret")];

    /// <summary>
    /// Capabilities left out of what Dovecot advertises (greeting and after LOGIN), e.g. CONDSTORE, QRESYNC,
    /// UIDPLUS, MOVE, LITERAL+, IDLE, to exercise client fallbacks. Dovecot 2.3 still accepts the hidden commands;
    /// only the advertisement changes.
    /// </summary>
    public IReadOnlyCollection<string> HiddenCapabilities { get; init; } = [];

    /// <summary>The hierarchy separator of the inbox namespace ('.' or '/'); on disk it is Maildir++ either way.</summary>
    public char Separator { get; init; } = '.';

    /// <summary>
    /// Serve TLS: STARTTLS on <see cref="DovecotTestBed.Port"/> and implicit TLS on <see cref="DovecotTestBed.TlsPort"/>,
    /// with a self-signed certificate for 127.0.0.1 made at start (see <see cref="DovecotTestBed.Certificate"/>).
    /// </summary>
    public bool Tls { get; init; }

    /// <summary>Load Dovecot's imap_zlib plugin, which offers COMPRESS=DEFLATE (RFC 4978) after login.</summary>
    public bool Compress { get; init; }
}
