using System.Net;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Configuration;

/// <summary>The <c>[general]</c> section: settings shared by every account.</summary>
public sealed record GeneralConfig
{
    /// <summary>Root of the local mirror; account <c>A</c> lives in <c>&lt;Maildir&gt;/A</c>. Absolute, <c>~</c> expanded.</summary>
    public required string Maildir { get; init; }

    /// <summary>Directory for sync state, indexes and the lock file. Absolute, <c>~</c> expanded.</summary>
    public required string StateDir { get; init; }

    /// <summary>Plain (STARTTLS-capable when <see cref="TlsCertificate"/> is set) local IMAP listener.</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>Optional implicit-TLS local IMAP listener; requires <see cref="TlsCertificate"/>.</summary>
    public IPEndPoint? TlsListen { get; init; }

    /// <summary>Certificate for local TLS (PEM or PKCS#12), or null for no local TLS.</summary>
    public string? TlsCertificate { get; init; }

    /// <summary>Private key (PEM) for <see cref="TlsCertificate"/>, or null when the certificate file holds it.</summary>
    public string? TlsKey { get; init; }

    /// <summary>Minimum level of log messages written.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
}
