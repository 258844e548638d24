using CdnPlatform.Cli.Topology;

namespace CdnPlatform.Testing;

/// <summary>
/// A test CA (the one <c>cdnctl up --tls</c> makes) and a directory of PEM files it issued, deleted at dispose: what a
/// TLS test gives the edge (<c>Edge:Tls:Certificates:N</c>) and the client (<c>curl --cacert</c>).
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly LocalCertificateAuthority _authority = LocalCertificateAuthority.Create("CdnPlatform test CA", TimeSpan.FromDays(1));

    public TestCertificates()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("cdn-tls-test-").FullName;
        CaPath = Path.Combine(Directory, "ca.pem");
        LocalCertificateAuthority.WriteCertificate(_authority.Certificate, CaPath);
    }

    public string Directory { get; }

    /// <summary>The CA's certificate, PEM.</summary>
    public string CaPath { get; }

    /// <summary>Issues a server certificate for <paramref name="hosts"/> and writes <c>{name}.pem</c> and <c>{name}-key.pem</c>.</summary>
    public (string CertificatePath, string KeyPath) Issue(string name, params string[] hosts)
    {
        using var certificate = _authority.Issue(hosts);
        var certificatePath = Path.Combine(Directory, $"{name}.pem");
        var keyPath = Path.Combine(Directory, $"{name}-key.pem");
        LocalCertificateAuthority.WriteCertificate(certificate, certificatePath);
        LocalCertificateAuthority.WriteKey(certificate, keyPath);
        return (certificatePath, keyPath);
    }

    /// <summary>
    /// Issues a server certificate through an intermediate CA and writes <c>{name}.pem</c> (the certificate, then the
    /// intermediate: the chain a public CA hands out) and <c>{name}-key.pem</c>. Only the root is in <see cref="CaPath"/>.
    /// </summary>
    public (string CertificatePath, string KeyPath) IssueThroughIntermediate(string name, params string[] hosts)
    {
        using var intermediate = _authority.CreateIntermediate($"CdnPlatform test intermediate {name}");
        using var certificate = intermediate.Issue(hosts);
        var certificatePath = Path.Combine(Directory, $"{name}.pem");
        var keyPath = Path.Combine(Directory, $"{name}-key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n" + intermediate.Certificate.ExportCertificatePem() + "\n");
        LocalCertificateAuthority.WriteKey(certificate, keyPath);
        return (certificatePath, keyPath);
    }

    /// <summary>The edge's settings for certificate number <paramref name="index"/>: its hosts and files.</summary>
    public static string[] EdgeArgs(int index, (string CertificatePath, string KeyPath) files, params string[] hosts) =>
    [
        .. hosts.SelectMany((host, h) => new[] { $"--Edge:Tls:Certificates:{index}:Hosts:{h}", host }),
        $"--Edge:Tls:Certificates:{index}:CertificatePath", files.CertificatePath,
        $"--Edge:Tls:Certificates:{index}:KeyPath", files.KeyPath,
    ];

    public void Dispose()
    {
        _authority.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
