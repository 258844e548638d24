using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace CdnPlatform.Testing;

/// <summary>A TLS handshake with a server on loopback, for the certificate it presents to a server name.</summary>
public static class TlsHandshake
{
    /// <param name="serverName">The ClientHello's server name (SNI); empty sends none, as a client that dialled the address.</param>
    public static async Task<X509Certificate2> CertificateAsync(int port, string serverName)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            // Which certificate came is the question here, not whether it is trusted.
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        });
        return new X509Certificate2(tls.RemoteCertificate!);
    }
}
