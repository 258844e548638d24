using System.Security.Cryptography.X509Certificates;
using CdnPlatform.Testing;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// Certificates renewed in their files are served from the next check on (<c>Edge:Tls:ReloadCheckSeconds</c>), with no
/// restart; files that cannot be used leave the certificate in use in place and are logged once, naming their key. The
/// check runs on the edge's clock, which the test moves: what changes a handshake is the check, never the wait.
/// </summary>
public sealed class EdgeTlsReloadTests : IAsyncLifetime
{
    private const string Shop = EdgeFixture.Host;
    private readonly TestCertificates _certificates = new();
    private EdgeFixture _f = null!;
    private int _httpsPort;

    public async Task InitializeAsync()
    {
        var shop = _certificates.Issue("shop", Shop);
        _httpsPort = FreePort.OnLoopback();
        _f = await EdgeFixture.StartAsync(null,
        [
            "--urls", $"http://127.0.0.1:0;https://127.0.0.1:{_httpsPort}", "--Edge:Tls:ReloadCheckSeconds", "60",
            .. TestCertificates.EdgeArgs(0, shop, Shop),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _f.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task A_renewed_certificate_is_served_from_the_next_check_on_without_a_restart()
    {
        var first = await ServedThumbprintAsync();
        var firstExpiry = await ExpiryTimeAsync();
        Assert.Equal(new DateTimeOffset(Leaf(Path.Combine(_certificates.Directory, "shop.pem")).NotAfter.ToUniversalTime()).ToUnixTimeSeconds(), firstExpiry);
        _certificates.Issue("shop", Shop); // the same files, a new certificate and key, as a renewal writes them

        Assert.Equal(first, await ServedThumbprintAsync());
        _f.Clock.Advance(TimeSpan.FromSeconds(60));
        var renewed = await ServedThumbprintAsync();

        Assert.NotEqual(first, renewed);
        Assert.Equal(Thumbprint(Path.Combine(_certificates.Directory, "shop.pem")), renewed);
        // The expiry ops alert on is the served certificate's.
        Assert.Equal(new DateTimeOffset(Leaf(Path.Combine(_certificates.Directory, "shop.pem")).NotAfter.ToUniversalTime()).ToUnixTimeSeconds(),
            await ExpiryTimeAsync());
        // The renewed certificate is one curl trusts for the name: a whole request goes through on it.
        var curl = await Curl.RunAsync("-s", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", "--http2", "--cacert", _certificates.CaPath,
            "--resolve", $"{Shop}:{_httpsPort}:127.0.0.1", $"https://{Shop}:{_httpsPort}/renewed");
        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal("2 200", curl.Output);
    }

    [Fact]
    public async Task Files_that_cannot_be_used_leave_the_certificate_in_use_and_are_logged_once_naming_the_key()
    {
        var first = await ServedThumbprintAsync();
        // A new certificate beside another's key: a renewal caught half-written, or a wrong copy.
        var other = _certificates.Issue("other", "other.test");
        _certificates.Issue("shop", Shop);
        File.Copy(other.KeyPath, Path.Combine(_certificates.Directory, "shop-key.pem"), overwrite: true);

        _f.Clock.Advance(TimeSpan.FromSeconds(60));
        _f.Clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(first, await ServedThumbprintAsync());
        var errors = _f.Logs.Entries.Where(e => e.Category.EndsWith("CertificateReloader", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("Edge:Tls:Certificates:0:KeyPath", error.Message);

        // Put right: served at the next check.
        var fixedFiles = _certificates.Issue("shop", Shop);
        _f.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(Thumbprint(fixedFiles.CertificatePath), await ServedThumbprintAsync());
    }

    [Fact]
    public void A_reload_period_out_of_range_stops_startup_naming_the_key()
    {
        var failures = EdgeFixture.StartupFailures("--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", Shop,
            "--Edge:Sites:0:Origin", "http://127.0.0.1:1", "--Edge:Tls:ReloadCheckSeconds", "-1");
        Assert.Contains(failures, f => f.StartsWith("Edge:Tls:ReloadCheckSeconds must be 0..86400", StringComparison.Ordinal));
    }

    // Which certificate came is the question; whether curl trusts it, the renewal test's request.
    private async Task<string> ServedThumbprintAsync()
    {
        using var served = await TlsHandshake.CertificateAsync(_httpsPort, Shop);
        return served.Thumbprint;
    }

    private async Task<double> ExpiryTimeAsync()
    {
        var response = await _f.GetAsync("/metrics", "127.0.0.1");
        response.EnsureSuccessStatusCode();
        var metrics = await PrometheusText.ParseAsync(await response.Content.ReadAsStringAsync());
        return Assert.Single(metrics.Samples, s => s.Name == "cdn_edge_tls_certificate_expiry_time_seconds").Value;
    }

    private static string Thumbprint(string pemPath) => Leaf(pemPath).Thumbprint;

    private static X509Certificate2 Leaf(string pemPath)
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(pemPath);
        return chain[0];
    }
}
