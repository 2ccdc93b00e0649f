using System.Net;

namespace ImapProxy.Server;

/// <summary>Settings of the local IMAP server: where it listens, TLS, and the limits it enforces per connection.</summary>
public sealed class ServerOptions
{
    /// <summary>The default plain-text port, as in the <c>listen</c> setting.</summary>
    public const int DefaultPort = 1143;

    /// <summary>
    /// Plain-text (STARTTLS-capable) endpoints. Empty means 127.0.0.1:1143 and [::1]:1143.
    /// Port 0 asks the OS for a free port (tests); <see cref="RunningImapServer.Endpoints"/> tells which one.
    /// </summary>
    public IList<IPEndPoint> Listen { get; } = new List<IPEndPoint>();

    /// <summary>Implicit-TLS endpoints (IMAPS); used only when <see cref="Certificate"/> is set.</summary>
    public IList<IPEndPoint> ListenTls { get; } = new List<IPEndPoint>();

    /// <summary>The server certificate with its private key, for STARTTLS and implicit TLS; null disables both.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }

    /// <summary>A connection silent for this long (IDLE included) is logged out. RFC 3501 §5.4 asks for at least 30 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a STARTTLS handshake may take before the connection is dropped.</summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a failed LOGIN/AUTHENTICATE waits before answering, to slow password guessing.</summary>
    public TimeSpan FailedLoginDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest command line (without literals) accepted, in bytes.</summary>
    public int MaxLineLength { get; set; } = 64 * 1024;

    /// <summary>Largest literal accepted in an ordinary command (not APPEND), in bytes; such literals are held in memory.</summary>
    public int MaxInlineLiteralSize { get; set; } = 64 * 1024;

    /// <summary>Largest message APPEND accepts (advertised as APPENDLIMIT); it streams to a file, not memory.</summary>
    public long AppendLimit { get; set; } = 64L * 1024 * 1024;

    /// <summary>Deepest parenthesis nesting accepted in a command.</summary>
    public int MaxNestingDepth { get; set; } = 16;

    /// <summary>
    /// Log every connection's IMAP conversation (<c>--trace imap</c>) under the local trace category, with
    /// passwords, SASL exchanges and literal contents left out.
    /// </summary>
    public bool TraceImap { get; set; }

    /// <summary>
    /// Give memory back to the OS once a burst of work (a big FETCH, adopting a folder) is over and the process has
    /// gone quiet; see <see cref="IdleMemoryTrimmer"/>. On for <c>imapproxy serve</c>; off for servers embedded in tests.
    /// </summary>
    public bool TrimMemoryWhenIdle { get; set; }

    /// <summary>Directory for temporary APPEND files when the account's store does not name one.</summary>
    public string? TempDirectory { get; set; }

    /// <summary>Loads a PEM certificate and its PEM private key (as <c>tls_cert</c> / <c>tls_key</c> name them).</summary>
    public static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadCertificate(string certPemPath, string keyPemPath)
    {
        using var pem = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certPemPath, keyPemPath);
        // Re-import as PKCS#12 so the key is usable by SslStream on every platform (ephemeral PEM keys are not on Windows).
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(pem.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
    }

    /// <summary>The endpoints to bind: <see cref="Listen"/>, or both loopback addresses on the default port.</summary>
    internal IReadOnlyList<IPEndPoint> PlainEndpoints() =>
        Listen.Count > 0
            ? Listen.ToList()
            : [new IPEndPoint(IPAddress.Loopback, DefaultPort), new IPEndPoint(IPAddress.IPv6Loopback, DefaultPort)];
}
