using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// A throwaway certificate authority for HTTPS on this machine (<c>cdnctl up --tls</c>): a self-signed CA certificate
/// and server certificates for given host names signed by it, ECDSA P-256 (quick to make, and what curl and browsers
/// take). Its key lives in memory only: once the process is gone nothing more can be signed by it, so trusting its
/// certificate (<c>curl --cacert</c>) trusts only what it issued.
/// </summary>
/// <remarks>Compiled into the test fixtures' project too (linked source), so that tests make their certificates the same way.</remarks>
internal sealed class LocalCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly ECDsa _key;
    private readonly X509Certificate2 _certificate;

    private LocalCertificateAuthority(ECDsa key, X509Certificate2 certificate)
    {
        _key = key;
        _certificate = certificate;
    }

    /// <summary>The CA's certificate, without its key: what clients are told to trust.</summary>
    public X509Certificate2 Certificate => _certificate;

    /// <param name="name">The CA's common name.</param>
    /// <param name="lifetime">How long it and what it issues are valid from now (starting an hour back, for clocks a little behind).</param>
    public static LocalCertificateAuthority Create(string name, TimeSpan lifetime)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}"), key, HashAlgorithmName.SHA256);
        AddAuthorityExtensions(request);
        var now = DateTimeOffset.UtcNow;
        using var selfSigned = request.CreateSelfSigned(now.AddHours(-1), now.Add(lifetime));
        // The key stays with this object, not with the certificate that is handed out and written.
        return new LocalCertificateAuthority(key, X509CertificateLoader.LoadCertificate(selfSigned.RawData));
    }

    /// <summary>An intermediate CA signed by this one, as public CAs issue server certificates through one.</summary>
    public LocalCertificateAuthority CreateIntermediate(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}"), key, HashAlgorithmName.SHA256);
        AddAuthorityExtensions(request);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var signer = _certificate.CopyWithPrivateKey(_key);
        var issued = request.Create(signer, DateTimeOffset.UtcNow.AddHours(-1), _certificate.NotAfter, RandomNumberGenerator.GetBytes(16));
        return new LocalCertificateAuthority(key, issued);
    }

    private static void AddAuthorityExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
    }

    /// <summary>A server certificate for <paramref name="hosts"/> (its subject alternative names; the first is its common name), with its private key.</summary>
    public X509Certificate2 Issue(params string[] hosts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(hosts.Length);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={hosts[0]}"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            names.AddDnsName(host);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var signer = _certificate.CopyWithPrivateKey(_key);
        using var issued = request.Create(signer, DateTimeOffset.UtcNow.AddHours(-1), _certificate.NotAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes <paramref name="certificate"/> as PEM to <paramref name="path"/>.</summary>
    public static void WriteCertificate(X509Certificate2 certificate, string path) => File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");

    /// <summary>Writes the private key of <paramref name="certificate"/> as PKCS#8 PEM, readable by this user only.</summary>
    public static void WriteKey(X509Certificate2 certificate, string path)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the certificate has no ECDSA private key", nameof(certificate));
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }
}
