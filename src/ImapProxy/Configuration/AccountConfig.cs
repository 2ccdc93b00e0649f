using ImapProxy.Store;
using ImapProxy.Upstream.Auth;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Configuration;

/// <summary>One <c>[account NAME]</c> section: an upstream IMAP account, its local mirror and its local login.</summary>
public sealed record AccountConfig
{
    /// <summary>The account's name from the section header; also its directory name under the Maildir root.</summary>
    public required string Name { get; init; }

    /// <summary>Where the account's mirror lives: <c>&lt;general maildir&gt;/&lt;Name&gt;</c>.</summary>
    public required string MaildirPath { get; init; }

    /// <summary>Upstream server host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>Upstream port; defaults to 993 for implicit TLS, else 143.</summary>
    public required int Port { get; init; }

    /// <summary>How the upstream connection is secured.</summary>
    public TlsMode Tls { get; init; } = TlsMode.Implicit;

    /// <summary>
    /// SHA-256 pin of the upstream server's certificate as 64 upper-case hex digits (the format of
    /// <c>X509Certificate.GetCertHashString(HashAlgorithmName.SHA256)</c>), or null to rely on normal validation.
    /// When set, the certificate must match, and a match is accepted even if self-signed.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>True when <c>tls = none</c> may be used with a host that is not loopback.</summary>
    public bool AllowPlaintext { get; init; }

    /// <summary>Upstream user name.</summary>
    public required string User { get; init; }

    /// <summary>Upstream password (literal or <c>passwordcommand</c>), or null when only a token is configured.</summary>
    public SecretSource? Password { get; init; }

    /// <summary>OAuth access token source (<c>tokencommand</c>), or null.</summary>
    public SecretSource? Token { get; init; }

    /// <summary>The upstream authentication mechanism.</summary>
    public AuthMechanism Auth { get; init; } = AuthMechanism.Auto;

    /// <summary>The user name local clients log in with; unique across accounts.</summary>
    public required string LocalUser { get; init; }

    /// <summary>The password local clients log in with.</summary>
    public required string LocalPassword { get; init; }

    /// <summary>Upstream folder patterns to mirror (IMAP LIST syntax: <c>*</c> and <c>%</c>). Default <c>*</c>.</summary>
    public IReadOnlyList<string> Folders { get; init; } = ["*"];

    /// <summary>Folder patterns left out even when <see cref="Folders"/> matches them.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Folders watched with IDLE for immediate updates. Default <c>INBOX</c>.</summary>
    public IReadOnlyList<string> Idle { get; init; } = ["INBOX"];

    /// <summary>Interval between full polls of all folders; <see cref="TimeSpan.Zero"/> disables polling.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>The most simultaneous upstream connections, IDLE ones included.</summary>
    public int MaxConnections { get; init; } = 4;

    /// <summary>Local folder layout.</summary>
    public MaildirLayout Layout { get; init; } = MaildirLayout.MaildirPlusPlus;

    /// <summary>When a sync must refuse to delete messages without <c>--allow-mass-delete</c>.</summary>
    public MassDeleteGuard MassDelete { get; init; } = MassDeleteGuard.Default;

    /// <summary>Network timeout for upstream connects and replies.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
