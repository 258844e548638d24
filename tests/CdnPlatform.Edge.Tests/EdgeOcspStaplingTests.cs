using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// OCSP stapling (<c>Edge:Tls:OcspStapling</c>): a certificate that names an OCSP responder gets its status fetched by
/// the edge and sent in the handshake to a client that asks (<c>openssl s_client -status</c>). The responder is a
/// local HTTP server answering with a response <c>openssl ocsp</c> signed for the certificate, from a file: no
/// listener of openssl's own, which binds every interface.
/// </summary>
public sealed class EdgeOcspStaplingTests : IAsyncLifetime
{
    private const string Host = EdgeFixture.Host;
    private readonly string _directory = Directory.CreateTempSubdirectory("cdn-ocsp-test-").FullName;
    private WebApplication _responder = null!;
    private int _responderAsked;
    private byte[] _ocspResponse = [];
    private string _responderUrl = "";
    private EdgeFixture? _f;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _responder = builder.Build();
        // Any GET or POST of an OCSP request: the one response there is, for the one certificate there is.
        _responder.Run(async context =>
        {
            Interlocked.Increment(ref _responderAsked);
            context.Response.ContentType = "application/ocsp-response";
            await context.Response.Body.WriteAsync(_ocspResponse);
        });
        await _responder.StartAsync();
        _responderUrl = _responder.Urls.First() + "/";
    }

    public async Task DisposeAsync()
    {
        if (_f is not null)
        {
            await _f.DisposeAsync();
        }
        await _responder.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_certificates_OCSP_status_is_stapled_to_the_handshake_unless_turned_off(bool stapling)
    {
        var (chainPath, keyPath, caPath) = await IssueWithResponderAsync();
        var httpsPort = FreePort.OnLoopback();
        _f = await EdgeFixture.StartAsync(null,
        [
            "--urls", $"http://127.0.0.1:0;https://127.0.0.1:{httpsPort}", "--Edge:Tls:OcspStapling", stapling ? "true" : "false",
            .. TestCertificates.EdgeArgs(0, (chainPath, keyPath), Host),
        ]);

        string said = "";
        if (stapling)
        {
            // The edge fetches in the background: the first handshakes may come before the answer.
            await Eventually.TrueAsync(async () =>
            {
                said = await StatusRequestAsync(httpsPort, caPath);
                return said.Contains("OCSP Response Status: successful", StringComparison.Ordinal);
            }, Eventually.Patience, () => $"no OCSP response was stapled; s_client said:\n{said}");
            Assert.Contains("Cert Status: good", said);
            Assert.True(_responderAsked > 0);
        }
        else
        {
            await Task.Delay(1000);
            said = await StatusRequestAsync(httpsPort, caPath);
            Assert.Contains("OCSP response: no response sent", said);
            Assert.Equal(0, _responderAsked);
        }
        Assert.Contains("Verify return code: 0 (ok)", said);
    }

    // A CA, and a certificate for Host that names the local responder (AIA); the responder's answer for it, signed by
    // the CA with openssl from an index that lists the certificate as valid.
    private async Task<(string ChainPath, string KeyPath, string CaPath)> IssueWithResponderAsync()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=CdnPlatform OCSP test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={Host}", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Host);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        leafRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([_responderUrl], null));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)(serial[0] & 0x7F | 0x01); // positive, and no leading zero byte for openssl's index to differ on
        using var leaf = leafRequest.Create(ca, now.AddDays(-1), now.AddDays(1), serial);

        var caPath = Write("ca.pem", ca.ExportCertificatePem());
        var caKeyPath = Write("ca-key.pem", caKey.ExportPkcs8PrivateKeyPem());
        var leafPath = Write("leaf.pem", leaf.ExportCertificatePem());
        var chainPath = Write("chain.pem", leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        var keyPath = Write("leaf-key.pem", leafKey.ExportPkcs8PrivateKeyPem());
        var indexPath = Write("index.txt", $"V\t{leaf.NotAfter.ToUniversalTime():yyMMddHHmmss}Z\t\t{leaf.SerialNumber}\tunknown\t/CN={Host}\n");
        var requestPath = Path.Combine(_directory, "request.der");
        var responsePath = Path.Combine(_directory, "response.der");
        await OpensslAsync("ocsp", "-issuer", caPath, "-cert", leafPath, "-no_nonce", "-reqout", requestPath);
        await OpensslAsync("ocsp", "-index", indexPath, "-rsigner", caPath, "-rkey", caKeyPath, "-CA", caPath, "-ndays", "1",
            "-reqin", requestPath, "-respout", responsePath);
        _ocspResponse = await File.ReadAllBytesAsync(responsePath);
        return (chainPath, keyPath, caPath);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<string> StatusRequestAsync(int port, string caPath) =>
        await OpensslAsync("s_client", "-connect", $"127.0.0.1:{port}", "-servername", Host, "-status", "-CAfile", caPath);

    private static async Task<string> OpensslAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close(); // s_client ends its session at the end of its input
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', args)} exited {process.ExitCode}: {await error}");
        return await output + await error;
    }
}
