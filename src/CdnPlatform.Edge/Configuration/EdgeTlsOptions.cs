namespace CdnPlatform.Edge.Configuration;

/// <summary>
/// The certificates of the edge's HTTPS addresses (<c>Edge:Tls</c>). The addresses themselves are <c>https://</c>
/// entries of the edge's <c>urls</c> (<c>--urls "http://127.0.10.1:8080;https://127.0.10.1:8443"</c>), each on a port
/// of its own; they speak HTTP/2 (by ALPN) and HTTP/1.1, the <c>http://</c> ones HTTP/1.1 only. A ClientHello's server
/// name picks the certificate that lists it in <see cref="TlsCertificateOptions.Hosts"/>; a name none lists, or no
/// name at all, gets the first certificate (see <see cref="Tls.ServerCertificates"/>).
/// </summary>
public sealed record EdgeTlsOptions
{
    public const string Section = "Tls";

    public List<TlsCertificateOptions> Certificates { get; init; } = [];

    /// <summary>
    /// The port in the <c>Location</c> of an HTTPS redirect (<see cref="SiteOptions.RedirectToHttps"/>): where visitors
    /// reach the HTTPS address, which a port mapping in front of the edge may make another than the one it listens on
    /// (443 outside, 8443 inside). Unset: the port of the first <c>https://</c> address in <c>urls</c>. 443 is left
    /// out of the URL.
    /// </summary>
    public int? RedirectPort { get; init; }

    /// <summary>
    /// How often the certificate files are read again, so renewed ones are served without a restart (60 s); 0 reads
    /// them at start-up only. See <see cref="Tls.CertificateReloader"/>.
    /// </summary>
    public int ReloadCheckSeconds { get; init; } = 60;

    /// <summary>
    /// Whether the edge staples its certificates' OCSP answers to the handshake (on): a certificate that names an OCSP
    /// responder gets its status fetched in the background by .NET and sent to clients that ask, so they need not
    /// ask the CA themselves (faster, and the CA does not learn who visits). It also lets .NET fetch a missing issuer
    /// of a chain file from the certificates' own addresses (AIA) when it loads them. Off: nothing is fetched.
    /// </summary>
    public bool OcspStapling { get; init; } = true;

    public bool Enabled => Certificates.Count > 0;

    /// <summary>What can be checked without reading a file; the files are read and checked by <see cref="Tls.CertificateSet.Load"/>.</summary>
    internal IEnumerable<string> Validate(string key)
    {
        if (RedirectPort is < 1 or > 65535)
        {
            yield return $"{key}:RedirectPort must be 1..65535, was {RedirectPort}";
        }
        if (ReloadCheckSeconds is < 0 or > 86400)
        {
            yield return $"{key}:ReloadCheckSeconds must be 0..86400 (0: never), was {ReloadCheckSeconds}";
        }
        var hostOwners = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var c = 0; c < Certificates.Count; c++)
        {
            var certificate = Certificates[c];
            var certificateKey = $"{key}:Certificates:{c}";
            if (string.IsNullOrWhiteSpace(certificate.CertificatePath))
            {
                yield return $"{certificateKey}:CertificatePath is required (a PEM file: the certificate, then its intermediates)";
            }
            if (string.IsNullOrWhiteSpace(certificate.KeyPath))
            {
                yield return $"{certificateKey}:KeyPath is required (a PEM file with the certificate's private key)";
            }
            if (certificate.Hosts.Count == 0)
            {
                yield return $"{certificateKey}:Hosts must name at least one host the certificate is for";
            }
            for (var h = 0; h < certificate.Hosts.Count; h++)
            {
                var host = certificate.Hosts[h];
                var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
                if (Uri.CheckHostName(name) != UriHostNameType.Dns)
                {
                    yield return $"{certificateKey}:Hosts:{h}: '{host}' is not a host name (www.shop.test) or a wildcard (*.shop.test)";
                }
                else if (!hostOwners.TryAdd(host, c))
                {
                    // Two certificates for one name: which one a visitor gets would depend on the order of the list.
                    yield return $"{certificateKey}:Hosts:{h}: '{host}' is already {key}:Certificates:{hostOwners[host]}'s";
                }
            }
        }
    }
}
