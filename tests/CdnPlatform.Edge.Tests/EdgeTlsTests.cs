using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using CdnPlatform.Testing;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// The edge's HTTPS address with real curl as the visitor: HTTP/2 by ALPN and HTTP/1.1, a certificate per server name,
/// cache hits over TLS, and the redirect of an HTTPS-only site's plain-HTTP visitors.
/// </summary>
public sealed class EdgeTlsTests : IAsyncLifetime
{
    private const string Shop = EdgeFixture.Host;
    // A second site, HTTPS only: Edge:Sites:1:RedirectToHttps.
    private const string Blog = "blog.test";
    // A third, whose certificate comes through an intermediate CA, as public CAs issue them.
    private const string Docs = "docs.test";

    private readonly TestCertificates _certificates = new();
    private TestOrigin _blogOrigin = null!;
    private EdgeFixture _f = null!;
    private int _httpsPort;

    public async Task InitializeAsync()
    {
        var shop = _certificates.Issue("shop", Shop);
        var blog = _certificates.Issue("blog", Blog);
        var images = _certificates.Issue("images", "*.static.test");
        var docs = _certificates.IssueThroughIntermediate("docs", Docs);
        _httpsPort = FreePort.OnLoopback();
        _blogOrigin = await TestOrigin.StartAsync();
        _f = await EdgeFixture.StartAsync(null,
        [
            "--urls", $"http://127.0.0.1:0;https://127.0.0.1:{_httpsPort}",
            "--Edge:Sites:1:Name", "blog", "--Edge:Sites:1:Hosts:0", Blog, "--Edge:Sites:1:Origin", _blogOrigin.Url,
            "--Edge:Sites:1:RedirectToHttps", "true",
            "--Edge:Sites:2:Name", "docs", "--Edge:Sites:2:Hosts:0", Docs, "--Edge:Sites:2:Origin", _blogOrigin.Url,
            // Two hosts under the one wildcard certificate.
            "--Edge:Sites:3:Name", "static", "--Edge:Sites:3:Hosts:0", "img.static.test", "--Edge:Sites:3:Hosts:1", "cdn.static.test",
            "--Edge:Sites:3:Origin", _blogOrigin.Url,
            .. TestCertificates.EdgeArgs(0, shop, Shop), .. TestCertificates.EdgeArgs(1, blog, Blog),
            .. TestCertificates.EdgeArgs(2, images, "*.static.test"), .. TestCertificates.EdgeArgs(3, docs, Docs),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _f.DisposeAsync();
        await _blogOrigin.DisposeAsync();
        _certificates.Dispose();
    }

    [Theory]
    [InlineData(Shop)]
    [InlineData(Blog)]
    public async Task Https_SpeaksHttp2ByAlpn_WithACertificateCurlTrustsForTheName(string host)
    {
        // --cacert and no -k: curl checks that the certificate it got is for the name it asked for.
        var curl = await GetAsync(host, "/h2", "--http2");
        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal("2 200", curl.Output);
    }

    [Fact]
    public async Task Https_SendsTheIntermediatesOfTheChainFile()
    {
        // curl knows only the root: the handshake must bring the intermediate of docs.pem, or the chain does not verify.
        var curl = await GetAsync(Docs, "/chain", "--http2");
        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal("2 200", curl.Output);
    }

    [Fact]
    public async Task Https_StillSpeaksHttp11()
    {
        var curl = await GetAsync(Shop, "/h1", "--http1.1");
        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal("1.1 200", curl.Output);
    }

    [Theory]
    [InlineData(Shop, "CN=" + Shop)]
    [InlineData("BLOG.TEST", "CN=" + Blog)]
    [InlineData("img.static.test", "CN=*.static.test")]
    // A wildcard is one label: a.b.static.test is no name of its, and gets the first certificate like any unknown name.
    [InlineData("a.b.static.test", "CN=" + Shop)]
    [InlineData("unknown.test", "CN=" + Shop)]
    // No server name at all (a client that dialled the IP address): the first certificate.
    [InlineData("", "CN=" + Shop)]
    public async Task ServerName_SelectsTheCertificate_AnyOtherGetsTheFirst(string serverName, string subject)
    {
        // Which certificate came is the question here; whether curl trusts it, the tests above.
        using var served = await TlsHandshake.CertificateAsync(_httpsPort, serverName);
        Assert.Equal(subject, served.Subject);
    }

    [Fact]
    public async Task Https_SecondRequestIsAHit_OverHttp2()
    {
        var first = await GetAsync(Shop, "/tls-hit", "--http2", "-D", "-");
        var second = await GetAsync(Shop, "/tls-hit", "--http2", "-D", "-");
        Assert.Contains("cache-status: CdnPlatform; fwd=uri-miss", first.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("cache-status: CdnPlatform; hit", second.Output, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("2 200", second.Output);
        Assert.Equal(1, _f.Origin.Hits("/tls-hit"));
    }

    [Fact]
    public async Task Https_ALargeMiss_ArrivesWholeOverHttp2_AndIsStored()
    {
        // 2 MiB: past Kestrel's response buffer, so the visitor reads it from the fill's growing body, written to the
        // HTTP/2 stream by a task of its own rather than by the forwarder.
        const int size = 2 * 1024 * 1024;
        async Task<string> FetchAsync() => (await Curl.RunAsync("--http2", "--cacert", _certificates.CaPath, "--resolve", $"{Shop}:{_httpsPort}:127.0.0.1",
            "-D", "-", "-o", "/dev/null", "-w", "%{http_version} %{http_code} %{size_download}", $"https://{Shop}:{_httpsPort}/large.bin?size={size}")).Output;

        var miss = await FetchAsync();
        var hit = await FetchAsync();

        Assert.EndsWith($"2 200 {size}", miss);
        var missStatus = miss.Split("\r\n").Single(line => line.StartsWith("cache-status:", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("fwd=uri-miss", missStatus);
        Assert.EndsWith("; stored", missStatus);
        Assert.EndsWith($"2 200 {size}", hit);
        Assert.Contains("cache-status: CdnPlatform; hit", hit, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, _f.Origin.Hits("/large.bin"));
    }

    [Fact]
    public async Task PlainHttp_ToAnHttpsOnlySite_Gets308ToTheSameUrlOverHttps_BeforeTheCache()
    {
        using var get = await _f.GetAsync("/account/orders?page=2&sort=date", Blog);
        Assert.Equal(HttpStatusCode.PermanentRedirect, get.StatusCode);
        Assert.Equal($"https://{Blog}:{_httpsPort}/account/orders?page=2&sort=date", get.Headers.Location?.OriginalString);
        Assert.Equal("CdnPlatform; detail=\"redirect-to-https\"", get.CacheStatus());
        // 308 keeps the method: a form posted over http is posted again over https, body and all.
        using var post = await _f.SendAsync(HttpMethod.Post, "/cart", Blog, r => r.Content = new StringContent("productId=101"));
        Assert.Equal(HttpStatusCode.PermanentRedirect, post.StatusCode);
        Assert.Equal($"https://{Blog}:{_httpsPort}/cart", post.Headers.Location?.OriginalString);
        Assert.Equal(0, _blogOrigin.Hits("/account/orders") + _blogOrigin.Hits("/cart"));
    }

    [Fact]
    public async Task Https_ToAnHttpsOnlySite_IsServed()
    {
        var curl = await GetAsync(Blog, "/account/orders", "--http2", "-D", "-");
        Assert.EndsWith("2 200", curl.Output);
        Assert.Contains("cache-status: CdnPlatform; fwd=uri-miss", curl.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, _blogOrigin.Hits("/account/orders"));
    }

    [Fact]
    public async Task PlainHttp_ToASiteWithoutRedirect_IsServed_AsAnEntryOfItsOwn()
    {
        using var plain = await _f.GetAsync("/both-schemes");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        // The key has the scheme: the origin is told it (X-Forwarded-Proto) and may answer https differently.
        var https = await GetAsync(Shop, "/both-schemes", "--http2", "-D", "-");
        Assert.Contains("cache-status: CdnPlatform; fwd=uri-miss", https.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, _f.Origin.Hits("/both-schemes"));
    }

    [Fact]
    public async Task PlainHttpAddress_SpeaksNoHttp2()
    {
        // HTTP/2 without TLS needs prior knowledge, which the http:// address does not take: it stays HTTP/1.1.
        var curl = await Curl.RunAsync("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_version}", "-H", $"Host: {Shop}", $"{_f.Client.BaseAddress}plain-h2c");
        Assert.False(curl.ExitCode == 0 && curl.Output == "2", curl.ToString());
        Assert.Equal(0, _f.Origin.Hits("/plain-h2c"));
    }

    [Theory]
    [InlineData("--http2", "2 421")]
    [InlineData("--http1.1", "1.1 421")]
    public async Task Https_ForAHostTheServerNamesCertificateIsNotFor_Is421_AndNeverReachesTheSite(string protocol, string expected)
    {
        // Domain fronting: the handshake names blog.test (and gets its certificate), the request asks for the shop.
        var curl = await GetAsync(Blog, "/fronted", protocol, "-H", $"Host: {Shop}");

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal(expected, curl.Output);
        Assert.Equal(0, _f.Origin.Hits("/fronted"));
        Assert.Equal(0, _blogOrigin.Hits("/fronted"));
    }

    [Fact]
    public async Task Https_TwoHostsOfOneCertificate_MayShareAConnection()
    {
        // Browsers reuse a connection for another host its certificate covers (RFC 9113 §9.1.1): *.static.test does.
        var curl = await GetAsync("img.static.test", "/shared", "--http2", "-H", "Host: cdn.static.test");

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal("2 200", curl.Output);
        Assert.Equal(1, _blogOrigin.Hits("/shared"));
    }

    [Theory]
    // No server name (an address dialled): nothing to front, any site's Host is served.
    [InlineData(null, Blog, "200")]
    // A name no certificate lists gets the first certificate (the shop's): the shop is served on it, the blog not.
    [InlineData("unknown.test", Shop, "200")]
    [InlineData("unknown.test", Blog, "421")]
    public async Task Https_TheHostIsCheckedAgainstTheCertificateTheConnectionGot(string? serverName, string host, string status)
    {
        var authority = serverName ?? "127.0.0.1";
        var curl = await Curl.RunAsync("-k", "--http2", "--resolve", $"{authority}:{_httpsPort}:127.0.0.1", "-H", $"Host: {host}",
            "-o", "/dev/null", "-w", "%{http_code}", $"https://{authority}:{_httpsPort}/named-{status}");

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal(status, curl.Output);
    }

    private Task<Curl> GetAsync(string host, string path, params string[] args) =>
        Curl.RunAsync([.. args, "--cacert", _certificates.CaPath, "--resolve", $"{host}:{_httpsPort}:127.0.0.1",
            "-o", "/dev/null", "-w", "%{http_version} %{http_code}", $"https://{host}:{_httpsPort}{path}"]);
}
