using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImapProxy.Upstream.Client.Transport;

/// <summary>
/// Decides whether the server certificate is accepted: the system store by default, or a pinned SHA-256
/// fingerprint. Remembers why it refused so the connect error can say so.
/// </summary>
internal sealed class CertificatePolicy
{
    private readonly string _host;
    private readonly byte[]? _pinned;

    public CertificatePolicy(string host, string? fingerprint)
    {
        _host = host;
        _pinned = fingerprint is null ? null : ParseFingerprint(fingerprint);
    }

    /// <summary>Why the last certificate was refused, or null.</summary>
    public string? RefusalReason { get; private set; }

    /// <summary>Parses "AB:CD:..." or "abcd..." into 32 bytes.</summary>
    public static byte[] ParseFingerprint(string fingerprint)
    {
        var hex = fingerprint.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (hex.StartsWith("sha256/", StringComparison.OrdinalIgnoreCase)) hex = hex[7..];
        byte[] bytes;
        try { bytes = Convert.FromHexString(hex); }
        catch (FormatException) { throw new ArgumentException($"fingerprint '{fingerprint}' is not hexadecimal", nameof(fingerprint)); }
        if (bytes.Length != 32) throw new ArgumentException($"fingerprint '{fingerprint}' is not a SHA-256 fingerprint (32 bytes)", nameof(fingerprint));
        return bytes;
    }

    /// <summary>Hex SHA-256 of a certificate, colon separated, as shown to users.</summary>
    public static string FormatFingerprint(X509Certificate certificate)
        => Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b);

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            RefusalReason = $"{_host} presented no certificate";
            return false;
        }
        if (_pinned is not null)
        {
            var actual = SHA256.HashData(certificate.GetRawCertData());
            if (CryptographicOperations.FixedTimeEquals(actual, _pinned)) return true;
            RefusalReason = $"certificate of {_host} ({certificate.Subject}) has SHA-256 fingerprint {FormatFingerprint(certificate)}, " +
                            "which is not the pinned fingerprint";
            return false;
        }
        if (errors == SslPolicyErrors.None) return true;
        var chainStatus = chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0) ?? [];
        RefusalReason = $"certificate of {_host} ({certificate.Subject}, SHA-256 {FormatFingerprint(certificate)}) is not trusted: {errors}" +
                        (chainStatus.Any() ? $" ({string.Join("; ", chainStatus)})" : "") +
                        "; pin it with fingerprint = … if it is expected";
        return false;
    }
}
