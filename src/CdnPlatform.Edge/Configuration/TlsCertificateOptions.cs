namespace CdnPlatform.Edge.Configuration;

/// <summary>
/// One certificate the edge's HTTPS addresses present (<c>Edge:Tls:Certificates:N</c>): PEM files and the host names
/// whose ClientHello server name (SNI) selects it.
/// </summary>
public sealed record TlsCertificateOptions
{
    /// <summary>
    /// Server names that get this certificate: <c>www.shop.test</c>, or <c>*.shop.test</c> for any one label under
    /// <c>shop.test</c>. The certificate must cover each of them (its subject alternative names), checked at start-up.
    /// </summary>
    public List<string> Hosts { get; init; } = [];

    /// <summary>
    /// PEM file of the certificate chain: the server's certificate first, then the intermediates that lead to a root
    /// the visitors trust (the root itself may be left out). Every certificate in it is sent in the handshake.
    /// </summary>
    public string CertificatePath { get; init; } = "";

    /// <summary>PEM file of the certificate's private key, unencrypted (PKCS#8 <c>PRIVATE KEY</c>, <c>RSA PRIVATE KEY</c> or <c>EC PRIVATE KEY</c>).</summary>
    public string KeyPath { get; init; } = "";
}
