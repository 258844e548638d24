using System.Net;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// A site whose origin is a group (CloudFront's semantics): the primary (the fixture's origin on 127.0.0.1) and a
/// failover origin on 127.0.41.2. A GET the primary answers 502, 503 or 504, or cannot answer, goes to the failover
/// origin; a POST goes there only when nothing reached the primary.
/// </summary>
public sealed class EdgeOriginGroupTests
{
    private const string FailoverAddress = "127.0.41.2";
    private const string Cacheable = "/page?cc=public,+max-age=60";

    private static Task<TestOrigin> StartFailoverAsync(EdgeFixture? f = null) => TestOrigin.StartAsync(f?.Clock, $"http://{FailoverAddress}:0");

    private static HttpContent Cart() => new StringContent("add=1");

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Get_PrimaryAnswersAFailoverStatus_IsServedByTheFailoverOrigin(int status)
    {
        await using var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithFailoverOriginAsync(failover.Url);
        f.Origin.ForcedStatus = status;

        using var response = await f.GetAsync(Cacheable);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Nothing of the primary's answer reached the visitor: the body is the failover origin's alone.
        Assert.Equal("GET /page #1", await response.Content.ReadAsStringAsync());
        Assert.Equal("CdnPlatform; fwd=uri-miss; fwd-status=200; stored; detail=\"failover origin\"", response.CacheStatus());
        Assert.Equal((1, 1), (f.Origin.Hits("/page"), failover.Hits("/page")));
    }

    [Fact]
    public async Task Get_PrimaryAnswers500_IsDeliveredAsIs()
    {
        await using var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithFailoverOriginAsync(failover.Url);
        f.Origin.ForcedStatus = 500;

        using var response = await f.GetAsync("/page");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("forced 500", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, failover.Hits("/page"));
    }

    [Fact]
    public async Task FailoverStatuses_ReplaceTheDefaults()
    {
        await using var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithFailoverOriginAsync(failover.Url, "--Edge:Sites:0:FailoverStatuses:0", "500");

        f.Origin.ForcedStatus = 500;
        using (var response = await f.GetAsync("/a"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        f.Origin.ForcedStatus = 503;
        using (var response = await f.GetAsync("/b"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        Assert.Equal((1, 0), (failover.Hits("/a"), failover.Hits("/b")));
    }

    [Fact]
    public async Task Post_PrimaryAnswers503_Gets503_AndIsNotSentToTheFailoverOrigin()
    {
        await using var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithFailoverOriginAsync(failover.Url);
        f.Origin.ForcedStatus = 503;

        using var response = await f.SendAsync(HttpMethod.Post, "/cart", configure: r => r.Content = Cart());

        // The primary had the POST and may have acted on it: its answer is the visitor's.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("forced 503", await response.Content.ReadAsStringAsync());
        Assert.Equal((1, 0), (f.Origin.Hits("/cart"), failover.Hits("/cart")));
    }

    [Fact]
    public async Task Post_PrimaryRefusing_GoesToTheFailoverOrigin()
    {
        await using var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithFailoverOriginAsync(failover.Url);
        await f.Origin.DisposeAsync();

        using var response = await f.SendAsync(HttpMethod.Post, "/cart", configure: r => r.Content = Cart());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("POST /cart #1", await response.Content.ReadAsStringAsync());
        Assert.Contains("detail=\"failover origin\"", response.CacheStatus());
    }

    [Fact]
    public async Task Post_PrimaryResettingWithoutAResponse_IsNotRetried()
    {
        await using var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithFailoverOriginAsync(failover.Url);
        f.Origin.CutsConnections = true;

        using var response = await f.SendAsync(HttpMethod.Post, "/cart", configure: r => r.Content = Cart());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal((1, 0), (f.Origin.Hits("/cart"), failover.Hits("/cart")));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("OPTIONS")]
    public async Task Repeatable_PrimaryResettingWithoutAResponse_GoesToTheFailoverOrigin(string method)
    {
        await using var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithFailoverOriginAsync(failover.Url);
        f.Origin.CutsConnections = true;

        using var response = await f.SendAsync(new HttpMethod(method), "/page");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{method} /page #1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BothAnswer503_TheFailoverOriginsAnswerIsDelivered()
    {
        await using var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithFailoverOriginAsync(failover.Url);
        f.Origin.ForcedStatus = 503;
        failover.ForcedStatus = 503;

        using var response = await f.GetAsync("/page");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("forced 503", await response.Content.ReadAsStringAsync());
        Assert.Equal("CdnPlatform; fwd=uri-miss; fwd-status=503; detail=\"failover origin\"", response.CacheStatus());
        Assert.Equal((1, 1), (f.Origin.Hits("/page"), failover.Hits("/page")));
    }

    [Theory]
    // The failover origin's 503 is an error answer: stale-if-error.
    [InlineData(false, "stale-if-error")]
    // Its refusal is the last failure: the origin counts as unreachable.
    [InlineData(true, "origin unreachable, served stale")]
    public async Task PrimaryAnswers503_AndTheFailoverOriginFails_AStaleEntryIsServed(bool failoverDown, string detail)
    {
        var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithFailoverOriginAsync(failover.Url);
        const string Page = "/page?cc=max-age=10,+stale-if-error=600";
        (await f.GetAsync(Page)).Dispose();
        f.Clock.Advance(TimeSpan.FromSeconds(60));
        f.Origin.ForcedStatus = 503;
        failover.ForcedStatus = 503;
        if (failoverDown)
        {
            await failover.DisposeAsync();
        }

        using var response = await f.GetAsync(Page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET /page #1", await response.Content.ReadAsStringAsync());
        Assert.Contains($"detail=\"{detail}\"", response.CacheStatus());
        Assert.Equal((2, failoverDown ? 0 : 1), (f.Origin.Hits("/page"), failover.Hits("/page")));
        await failover.DisposeAsync();
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task PrimaryNeverCompletingTheConnect_TimesOut_AndTheFailoverOriginAnswers(string method)
    {
        // A real connect timeout (the fixture's Edge:OriginConnectTimeoutSeconds, 2): the primary's SYNs go unanswered.
        using var silent = await SilentOrigin.StartAsync(IPAddress.Parse("127.0.41.3"));
        await using var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithOriginsAsync(
            ["--Edge:Sites:0:Origin", silent.Url, "--Edge:Sites:0:FailoverOrigin", failover.Url], _ => { });

        using var response = await f.SendAsync(new HttpMethod(method), "/cart", configure: r => r.Content = method == "POST" ? Cart() : null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{method} /cart #1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_PrimarySilentPastTheOriginResponseTimeout_IsServedByTheFailoverOrigin_AndThePrimaryIsPassedOver()
    {
        await using var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithFailoverOriginAsync(failover.Url, "--Edge:Sites:0:OriginResponseTimeoutSeconds", "1");

        // The primary would answer after 4 s: a stalled origin that accepted the connection.
        f.Origin.Stall = TimeSpan.FromSeconds(4);
        using var response = await f.GetAsync("/slow?cc=public,+max-age=60");
        using var next = await f.GetAsync("/other?cc=public,+max-age=60");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CdnPlatform; fwd=uri-miss; fwd-status=200; stored; detail=\"failover origin\"", response.CacheStatus());
        Assert.Equal((1, 1), (f.Origin.Hits("/slow"), failover.Hits("/slow")));
        // Given up as unanswered, the primary counts as failed: the next fetch goes to the failover origin first.
        Assert.Equal((0, 1), (f.Origin.Hits("/other"), failover.Hits("/other")));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Post_PrimarySlowerThanTheOriginResponseTimeout_IsWaitedFor_NotSentTwice()
    {
        await using var failover = await StartFailoverAsync();
        await using var f = await EdgeFixture.StartWithFailoverOriginAsync(failover.Url, "--Edge:Sites:0:OriginResponseTimeoutSeconds", "1");

        f.Origin.Stall = TimeSpan.FromSeconds(2.5);
        using var response = await f.SendAsync(HttpMethod.Post, "/cart", configure: r => r.Content = Cart());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("POST /cart #1", await response.Content.ReadAsStringAsync());
        Assert.Equal((1, 0), (f.Origin.Hits("/cart"), failover.Hits("/cart")));
    }

    [Fact]
    public async Task Get_OnlyOriginSilentPastTheOriginResponseTimeout_Is504()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:Sites:0:OriginResponseTimeoutSeconds", "1");

        f.Origin.Stall = TimeSpan.FromSeconds(4);
        using var response = await f.GetAsync("/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(1, f.Origin.Hits("/slow"));
    }

    [Fact]
    public void ANegativeOriginResponseTimeout_StopsStartup_NamingTheKey()
    {
        var failures = EdgeFixture.StartupFailures("--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
            "--Edge:Sites:0:Origin", "http://127.0.0.1:1", "--Edge:Sites:0:OriginResponseTimeoutSeconds", "-1");
        Assert.Contains("Edge:Sites:0:OriginResponseTimeoutSeconds must be 0..3600 (0: no limit of its own), was -1", failures);
    }

    [Theory]
    [InlineData("--Edge:Sites:0:FailoverOrigin", "ftp://x", "Edge:Sites:0:FailoverOrigin: 'ftp://x' is not an absolute http:// or https:// URL")]
    [InlineData("--Edge:Sites:0:FailoverOrigin", "http://127.0.0.1:1", "Edge:Sites:0:FailoverOrigin: 'http://127.0.0.1:1' is also a primary origin")]
    [InlineData("--Edge:Sites:0:FailoverStatuses:0", "503", "Edge:Sites:0:FailoverStatuses is set but Edge:Sites:0:FailoverOrigin is not")]
    public void BadOriginGroups_StopStartup_NamingTheKey(string key, string value, string message)
    {
        string[] args = ["--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
                         "--Edge:Sites:0:Origin", "http://127.0.0.1:1", key, value];
        Assert.Contains(EdgeFixture.StartupFailures(args), failure => failure.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void AFailoverStatusThatIsNoError_StopsStartup_NamingTheKey()
    {
        var failures = EdgeFixture.StartupFailures("--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
            "--Edge:Sites:0:Origin", "http://127.0.0.1:1", "--Edge:Sites:0:FailoverOrigin", "http://127.0.0.1:2",
            "--Edge:Sites:0:FailoverStatuses:0", "503", "--Edge:Sites:0:FailoverStatuses:1", "200");
        Assert.Contains("Edge:Sites:0:FailoverStatuses:1 must be an error status 400..599, was 200", failures);
    }
}
