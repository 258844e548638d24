using System.Collections.Frozen;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CdnPlatform.Edge.Configuration;

namespace CdnPlatform.Edge.Tls;

/// <summary>
/// One reading of the edge's server certificates (<c>Edge:Tls:Certificates</c>) by host name, each with its chain made
/// ready for the handshake (<see cref="SslStreamCertificateContext"/>). A ClientHello's server name (SNI) selects one:
/// the certificate that lists it, else the one that lists its wildcard (<c>*.shop.test</c> for <c>www.shop.test</c>),
/// else the first. A name none lists, or none at all (a client that dialled the IP address), still completes the
/// handshake: the client judges the certificate, and the request that follows meets the edge's own Host rules (421 for
/// a Host no site claims, the edge's health on its IP). Never changes once read: <see cref="ServerCertificates"/> holds
/// the current one and puts a new reading in its place when the files change.
/// </summary>
/// <remarks>
/// Kestrel's <c>ServerCertificateSelector</c> would do the selecting too, but SslStream then builds the chosen
/// certificate's chain on every handshake, from the machine's stores only: the intermediates of the PEM file would
/// never be sent. A context per certificate, made here once, sends them and costs a handshake nothing.
/// </remarks>
internal sealed class CertificateSet
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly FrozenDictionary<string, SslStreamCertificateContext> _byHost;
    // Keyed by what follows "*.": shop.test for *.shop.test.
    private readonly FrozenDictionary<string, SslStreamCertificateContext> _byWildcardParent;

    private readonly FrozenDictionary<SslStreamCertificateContext, CertificateNames> _names;

    private CertificateSet(IReadOnlyList<(IReadOnlyList<string> Hosts, SslStreamCertificateContext Context)> certificates)
    {
        Default = certificates[0].Context;
        Leaves = [.. certificates.Select(c => c.Context.TargetCertificate)];
        _names = certificates.Select(c => c.Context).Distinct()
            .ToFrozenDictionary(c => c, c => new CertificateNames(DnsNames(c.TargetCertificate)));
        var hosts = certificates.SelectMany(c => c.Hosts.Select(host => (Host: host, c.Context))).ToList();
        _byHost = hosts.Where(h => !CertificateNames.IsWildcard(h.Host))
            .ToFrozenDictionary(h => h.Host, h => h.Context, StringComparer.OrdinalIgnoreCase);
        _byWildcardParent = hosts.Where(h => CertificateNames.IsWildcard(h.Host))
            .ToFrozenDictionary(h => h.Host[2..], h => h.Context, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Each configured certificate's own (the chain file's first), in the order of <c>Edge:Tls:Certificates</c>.</summary>
    public IReadOnlyList<X509Certificate2> Leaves { get; }

    /// <summary>Whether <paramref name="other"/> holds the same certificates in the same places.</summary>
    public bool SameAs(CertificateSet other) =>
        Leaves.Select(c => c.Thumbprint).SequenceEqual(other.Leaves.Select(c => c.Thumbprint), StringComparer.Ordinal);

    /// <summary>The first certificate: for a server name no certificate lists, and for a ClientHello without one.</summary>
    public SslStreamCertificateContext Default { get; }

    public SslStreamCertificateContext Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return Default;
        }
        if (_byHost.TryGetValue(serverName, out var exact))
        {
            return exact;
        }
        // A wildcard stands for exactly one label (RFC 6125 §6.4.3): *.shop.test covers www.shop.test, not a.b.shop.test.
        return CertificateNames.WildcardParent(serverName) is { } parent && _byWildcardParent.TryGetValue(parent, out var wildcard) ? wildcard : Default;
    }

    /// <summary>
    /// Whether a request for <paramref name="host"/> may be answered on a connection whose ClientHello named
    /// <paramref name="serverName"/>: the certificate that name selected must be valid for the host too. Otherwise
    /// the client asked the TLS layer for one site and HTTP for another — domain fronting, or a connection reused
    /// beyond its certificate — and gets 421, on which browsers open a connection of its own for that host
    /// (RFC 9110 §15.5.20, RFC 9113 §9.1.2). Two sites under one certificate may share a connection; a ClientHello
    /// without a name (a client that dialled the address) fronts nothing.
    /// </summary>
    public bool Serves(string? serverName, string host) =>
        string.IsNullOrEmpty(serverName) || _names[Select(serverName)].Covers(host);

    /// <summary>
    /// Reads every certificate of <paramref name="options"/>; null, with what is wrong in <paramref name="failures"/>
    /// (each naming its key and file), when any cannot be used.
    /// </summary>
    /// <param name="key">The options' configuration key, <c>Edge:Tls</c>.</param>
    public static CertificateSet? Load(EdgeTlsOptions options, string key, List<string> failures)
    {
        var loaded = new List<(IReadOnlyList<string>, SslStreamCertificateContext)>();
        var failed = failures.Count;
        for (var c = 0; c < options.Certificates.Count; c++)
        {
            var certificate = options.Certificates[c];
            if (LoadOne(certificate, $"{key}:Certificates:{c}", failures, options.OcspStapling) is { } context)
            {
                loaded.Add((certificate.Hosts, context));
            }
        }
        return failures.Count == failed && loaded.Count > 0 ? new CertificateSet(loaded) : null;
    }

    private static SslStreamCertificateContext? LoadOne(TlsCertificateOptions options, string key, List<string> failures, bool ocspStapling)
    {
        var chainPath = Path.GetFullPath(options.CertificatePath);
        var keyPath = Path.GetFullPath(options.KeyPath);
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPemFile(chainPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            failures.Add($"{key}:CertificatePath: cannot read '{chainPath}': {e.Message}");
            return null;
        }
        if (chain.Count == 0)
        {
            failures.Add($"{key}:CertificatePath: '{chainPath}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            return null;
        }
        X509Certificate2 leaf;
        try
        {
            // The chain file's first certificate, with the key file's key: throws when the two do not belong together.
            leaf = X509Certificate2.CreateFromPemFile(chainPath, keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failures.Add($"{key}:KeyPath: cannot read '{keyPath}': {e.Message}");
            return null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // No key in the file, an encrypted one, or one that is not the certificate's ("does not match the public key").
            failures.Add($"{key}:KeyPath: '{keyPath}' holds no unencrypted private key of the certificate in '{chainPath}' ({e.Message})");
            return null;
        }
        var usable = true;
        for (var h = 0; h < options.Hosts.Count; h++)
        {
            if (!Covers(leaf, options.Hosts[h]))
            {
                failures.Add($"{key}:Hosts:{h}: the certificate in '{chainPath}' is not for '{options.Hosts[h]}' (it is for {string.Join(", ", DnsNames(leaf).DefaultIfEmpty("no DNS name"))})");
                usable = false;
            }
        }
        if (leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usages
            && !usages.EnhancedKeyUsages.Cast<Oid>().Any(u => u.Value == ServerAuthentication.Value))
        {
            failures.Add($"{key}:CertificatePath: the certificate in '{chainPath}' is not for servers (its extended key usage lacks serverAuth)");
            usable = false;
        }
        if (!usable)
        {
            return null;
        }
        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use the ephemeral key CreateFromPemFile makes; OpenSSL (Linux) can, so only Windows pays the round trip.
            leaf = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null);
        }
        // Not offline, .NET fetches the leaf's OCSP answer in the background and staples it (Linux), and renews it
        // before it expires; offline, the chain is the file's and nothing is ever fetched (Edge:Tls:OcspStapling).
        return SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(chain.Skip(1).ToArray()), offline: !ocspStapling);
    }

    private static bool Covers(X509Certificate2 certificate, string host) => CertificateNames.IsWildcard(host)
        ? DnsNames(certificate).Contains(host, StringComparer.OrdinalIgnoreCase)
        : certificate.MatchesHostname(host, allowWildcards: true, allowCommonName: false);

    private static IEnumerable<string> DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames());

}
