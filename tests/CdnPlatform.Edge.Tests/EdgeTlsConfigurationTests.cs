using CdnPlatform.Edge.Tls;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Http;

namespace CdnPlatform.Edge.Tests;

/// <summary>What start-up says of TLS settings that cannot work, each naming the key (and the file) to fix.</summary>
public sealed class EdgeTlsConfigurationTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public void MissingCertificateFile_FailsStartup_NamingTheKeyAndPath()
    {
        var files = _certificates.Issue("shop", EdgeFixture.Host);
        var missing = Path.Combine(_certificates.Directory, "nothing-here.pem");
        var failures = Failures(TestCertificates.EdgeArgs(0, (missing, files.KeyPath), EdgeFixture.Host));
        Assert.Contains(failures, f => f.StartsWith("Edge:Tls:Certificates:0:CertificatePath: cannot read", StringComparison.Ordinal) && f.Contains(missing));
    }

    [Fact]
    public void KeyOfAnotherCertificate_FailsStartup_NamingTheKeyAndPath()
    {
        var shop = _certificates.Issue("shop", EdgeFixture.Host);
        var other = _certificates.Issue("other", EdgeFixture.Host);
        var failures = Failures(TestCertificates.EdgeArgs(0, (shop.CertificatePath, other.KeyPath), EdgeFixture.Host));
        Assert.Contains(failures, f => f.StartsWith("Edge:Tls:Certificates:0:KeyPath:", StringComparison.Ordinal) && f.Contains(other.KeyPath));
    }

    [Fact]
    public void CertificateNotForItsHost_FailsStartup()
    {
        var files = _certificates.Issue("other", "other.test");
        var failures = Failures(TestCertificates.EdgeArgs(0, files, EdgeFixture.Host));
        Assert.Contains(failures, f => f.StartsWith("Edge:Tls:Certificates:0:Hosts:0: the certificate", StringComparison.Ordinal) && f.Contains("other.test"));
    }

    [Fact]
    public void HttpsAddressWithoutCertificates_FailsStartup()
    {
        var failures = EdgeFixture.StartupFailures([.. Edge($"http://127.0.0.1:0;https://127.0.0.1:{FreePort.OnLoopback()}")]);
        Assert.Contains(failures, f => f.StartsWith("urls has https:// addresses", StringComparison.Ordinal) && f.Contains("Edge:Tls:Certificates"));
    }

    [Fact]
    public void HttpsAddressOnPortZero_FailsStartup()
    {
        var files = _certificates.Issue("shop", EdgeFixture.Host);
        var failures = EdgeFixture.StartupFailures([.. Edge("http://127.0.0.1:0;https://127.0.0.1:0"), .. TestCertificates.EdgeArgs(0, files, EdgeFixture.Host)]);
        Assert.Contains(failures, f => f.StartsWith("urls: 'https://127.0.0.1:0' needs a port of its own", StringComparison.Ordinal));
    }

    [Fact]
    public void RedirectToHttpsWithoutAnHttpsAddress_FailsStartup()
    {
        var failures = EdgeFixture.StartupFailures([.. Edge("http://127.0.0.1:0"), "--Edge:Sites:0:RedirectToHttps", "true"]);
        Assert.Contains(failures, f => f.StartsWith("Edge:Sites:0:RedirectToHttps is on but no address in urls is https://", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoCertificatesForOneHost_FailsStartup()
    {
        var files = _certificates.Issue("shop", EdgeFixture.Host);
        var failures = Failures([.. TestCertificates.EdgeArgs(0, files, EdgeFixture.Host), .. TestCertificates.EdgeArgs(1, files, EdgeFixture.Host)]);
        Assert.Contains(failures, f => f.StartsWith("Edge:Tls:Certificates:1:Hosts:0: 'www.shop.test' is already Edge:Tls:Certificates:0's", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("www.shop.test", 443, "", "/a", "?b=1", "https://www.shop.test/a?b=1")]
    [InlineData("www.shop.test", 8443, "", "/a", "", "https://www.shop.test:8443/a")]
    [InlineData("www.shop.test", 8443, "", "", "?q=1", "https://www.shop.test:8443/?q=1")]
    [InlineData("www.shop.test", 443, "/base", "/caf\u00e9", "", "https://www.shop.test/base/caf%C3%A9")]
    [InlineData("[::1]", 8443, "", "/", "", "https://[::1]:8443/")]
    public void RedirectLocation_KeepsHostPathAndQuery_WithTheHttpsPort(string host, int port, string pathBase, string path, string query, string expected) =>
        Assert.Equal(expected, HttpsRedirect.Location(host, port, new PathString(pathBase), new PathString(path), new QueryString(query)));

    private static IReadOnlyCollection<string> Failures(string[] tlsArgs) =>
        EdgeFixture.StartupFailures([.. Edge($"http://127.0.0.1:0;https://127.0.0.1:{FreePort.OnLoopback()}"), .. tlsArgs]);

    private static string[] Edge(string urls) =>
        ["--urls", urls, "--Edge:Name", "test", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", EdgeFixture.Host,
         "--Edge:Sites:0:Origin", "http://127.0.0.1:9"];
}
