using System.Net;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// A site with two origin addresses (a datacenter's gateway pair): a fetch that cannot reach the first goes on
/// to the second within the same visitor request, and later ones go straight to the second until the first
/// has had time to come back.
/// </summary>
public sealed class EdgeFailoverTests
{
    // Every request reaches an origin: nothing is stored.
    private const string Uncacheable = "/page?cc=no-store";

    [Fact]
    public async Task FirstOriginStopped_EveryRequestSucceeds_AndTheFirstIsUsedAgainOnceBack()
    {
        await using var next = await TestOrigin.StartAsync();
        await using var f = await EdgeFixture.StartWithNextOriginAsync(next.Url);
        var firstUrl = f.Origin.Url;
        await f.Origin.DisposeAsync();

        for (var i = 0; i < 200; i++)
        {
            using var response = await f.GetAsync(Uncacheable);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(200, next.Hits("/page"));

        await using var back = await TestOrigin.StartAsync(f.Clock, firstUrl);
        // Within the skip period the edge does not look at the first address again.
        using (var response = await f.GetAsync(Uncacheable))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(0, back.Hits("/page"));

        f.Clock.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 3; i++)
        {
            using var response = await f.GetAsync(Uncacheable);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(3, back.Hits("/page"));
        Assert.Equal(201, next.Hits("/page"));
    }

    [Fact]
    public async Task Get_CutOffByTheFirstOrigin_IsAnsweredByTheNext()
    {
        await using var next = await TestOrigin.StartAsync();
        await using var f = await EdgeFixture.StartWithNextOriginAsync(next.Url);
        f.Origin.CutsConnections = true;

        using var response = await f.GetAsync("/page?cc=public,+max-age=60");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((1, 1), (f.Origin.Hits("/page"), next.Hits("/page")));
        Assert.Equal("CdnPlatform; fwd=uri-miss; fwd-status=200; stored", response.CacheStatus());
    }

    [Fact]
    public async Task Post_CutOffByTheFirstOrigin_IsNotSentToTheNext()
    {
        await using var next = await TestOrigin.StartAsync();
        await using var f = await EdgeFixture.StartWithNextOriginAsync(next.Url);
        f.Origin.CutsConnections = true;

        using var response = await f.SendAsync(HttpMethod.Post, "/cart", configure: r => r.Content = new StringContent("add=1"));

        // The first origin had the whole POST and may have acted on it: a second one could be a second order.
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal((1, 0), (f.Origin.Hits("/cart"), next.Hits("/cart")));
    }

    [Fact]
    public async Task Post_RefusedByTheFirstOrigin_IsSentToTheNext()
    {
        await using var next = await TestOrigin.StartAsync();
        await using var f = await EdgeFixture.StartWithNextOriginAsync(next.Url);
        await f.Origin.DisposeAsync();

        using var response = await f.SendAsync(HttpMethod.Post, "/cart", configure: r => r.Content = new StringContent("add=1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("POST /cart #1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EveryOriginDown_StaleEntryIsServed()
    {
        var next = await TestOrigin.StartAsync();
        await using var f = await EdgeFixture.StartWithNextOriginAsync(next.Url);
        (await f.GetAsync("/page?cc=max-age=10")).Dispose();
        f.Clock.Advance(TimeSpan.FromSeconds(60));
        await f.Origin.DisposeAsync();
        await next.DisposeAsync();

        using var response = await f.GetAsync("/page?cc=max-age=10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET /page #1", await response.Content.ReadAsStringAsync());
        Assert.Contains("origin unreachable, served stale", response.CacheStatus());
    }

    [Fact]
    public async Task EveryOriginDown_Gives502_WithCacheStatusDetail()
    {
        var next = await TestOrigin.StartAsync();
        await using var f = await EdgeFixture.StartWithNextOriginAsync(next.Url);
        await f.Origin.DisposeAsync();
        await next.DisposeAsync();

        using var response = await f.GetAsync("/page");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("CdnPlatform; fwd=uri-miss; detail=\"origin unreachable\"", response.CacheStatus());
    }

    [Theory]
    [InlineData("--Edge:Sites:0:Origins:1", "ftp://x", "Edge:Sites:0:Origins:1: 'ftp://x' is not an absolute http:// or https:// URL")]
    [InlineData("--Edge:Sites:0:Origins:1", "http://127.0.0.1:1", "Edge:Sites:0:Origins:1: 'http://127.0.0.1:1' is already Edge:Sites:0:Origins:0")]
    [InlineData("--Edge:Sites:0:Origin", "http://127.0.0.1:3", "Edge:Sites:0:Origin and Edge:Sites:0:Origins are both set")]
    [InlineData("--Edge:FailedOriginSkipSeconds", "-1", "Edge:FailedOriginSkipSeconds must be 0..3600, was -1")]
    public void BadOrigins_StopStartup_NamingTheKey(string key, string value, string message)
    {
        string[] args = ["--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
                         "--Edge:Sites:0:Origins:0", "http://127.0.0.1:1", "--Edge:Sites:0:Origins:1", "http://127.0.0.1:2", key, value];
        Assert.Contains(EdgeFixture.StartupFailures(args), failure => failure.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void NoOrigin_StopsStartup_NamingOrigins()
    {
        var failures = EdgeFixture.StartupFailures("--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test");
        Assert.Contains(failures, failure => failure.StartsWith("Edge:Sites:0:Origins needs at least one origin URL", StringComparison.Ordinal));
    }
}
