using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CdnPlatform.Edge.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace CdnPlatform.Edge.Tls;

/// <summary>
/// The edge's server certificates as they are now: a <see cref="CertificateSet"/> read from the files of
/// <c>Edge:Tls:Certificates</c> at start-up, and read again by <see cref="Reload"/> when they change, so a renewed
/// certificate (a public CA's certificates last 90 days or less) is served without a restart. A handshake takes the set
/// current when it starts; a reading with anything wrong in it leaves the current set in place.
/// </summary>
internal sealed class ServerCertificates
{
    private volatile CertificateSet _current;

    private ServerCertificates(CertificateSet current) => _current = current;

    public CertificateSet Current => _current;

    public SslStreamCertificateContext Select(string? serverName) => _current.Select(serverName);

    /// <inheritdoc cref="CertificateSet.Serves"/>
    public bool Serves(string? serverName, string host) => _current.Serves(serverName, host);

    /// <summary>Kestrel's per-connection callback: the handshake's options, with the certificate the ClientHello's server name selects.</summary>
    public ValueTask<SslServerAuthenticationOptions> OnConnection(TlsHandshakeCallbackContext context) =>
        // ApplicationProtocols left null: Kestrel offers h2 and http/1.1 by ALPN, as the endpoint's protocols say.
        ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = Select(context.ClientHelloInfo.ServerName),
            EnabledSslProtocols = SslProtocols.None, // the system's choice: TLS 1.2 and 1.3 on OpenSSL 3
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        });

    /// <inheritdoc cref="CertificateSet.Load"/>
    public static ServerCertificates? Load(EdgeTlsOptions options, string key, List<string> failures) =>
        CertificateSet.Load(options, key, failures) is { } set ? new ServerCertificates(set) : null;

    /// <summary>
    /// Reads the files again. What they hold now replaces the current certificates when every one of them can be used
    /// and one differs; otherwise nothing changes, and <paramref name="failures"/> says what is wrong.
    /// </summary>
    /// <returns>Whether the certificates changed.</returns>
    public bool Reload(EdgeTlsOptions options, string key, List<string> failures)
    {
        if (CertificateSet.Load(options, key, failures) is not { } read || read.SameAs(_current))
        {
            return false;
        }
        _current = read;
        return true;
    }
}
