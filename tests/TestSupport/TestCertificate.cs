using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImapProxy.TestSupport;

/// <summary>Self-signed server certificates for test servers on 127.0.0.1.</summary>
public static class TestCertificate
{
    /// <summary>A fresh self-signed ECDSA P-256 certificate for CN=127.0.0.1 (SAN IP 127.0.0.1 and localhost),
    /// valid from yesterday for 30 days, with its private key.</summary>
    public static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    /// <summary>Creates a certificate and writes it and its private key (PKCS#8) as PEM files; returns it.</summary>
    public static X509Certificate2 WritePem(string certificatePath, string keyPath)
    {
        var certificate = Create();
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        Posix.SetMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return certificate;
    }

    /// <summary>The SHA-256 fingerprint of <paramref name="certificate"/> as hex pairs separated by colons.</summary>
    public static string Sha256Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
}
