using System.Net;
using CdnPlatform.Testing;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// <c>Edge:MaxOriginConnectionsPerAddress</c>: an origin address gets at most that many fetches from the edge at once,
/// the others wait for a connection in turn, and a wait longer than the site's origin response timeout ends as a
/// fetch that got no answer would.
/// </summary>
public sealed class EdgeOriginConnectionCapTests
{
    [Fact]
    public async Task Misses_beyond_the_cap_wait_for_a_connection_and_are_served_once_one_frees()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:MaxOriginConnectionsPerAddress", "2");
        string[] paths = ["/a", "/b", "/c"];

        // Three different pages, so nothing collapses: without the cap all three would be at the origin at once.
        var misses = paths.Select(p => f.GetAsync(p + "?park")).ToArray();
        await Eventually.TrueAsync(() => f.Origin.InFlight == 2, () => $"{f.Origin.InFlight} at the origin, not 2");
        // Long enough for a third connection to have been opened and its request read, were it allowed.
        await Task.Delay(500);
        Assert.Equal(2, f.Origin.InFlight);

        foreach (var path in paths)
        {
            f.Origin.Release(path);
        }
        foreach (var miss in misses)
        {
            using var response = await miss;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(2, f.Origin.PeakInFlight);
        Assert.Equal([1, 1, 1], paths.Select(f.Origin.Hits));
    }

    [Fact]
    public async Task Without_a_cap_every_miss_reaches_the_origin_at_once()
    {
        await using var f = await EdgeFixture.StartAsync();
        string[] paths = ["/a", "/b", "/c"];

        var misses = paths.Select(p => f.GetAsync(p + "?park")).ToArray();
        await Eventually.TrueAsync(() => f.Origin.InFlight == 3, () => $"{f.Origin.InFlight} at the origin, not 3");

        foreach (var path in paths)
        {
            f.Origin.Release(path);
        }
        foreach (var miss in misses)
        {
            (await miss).Dispose();
        }
    }

    [Fact]
    public async Task A_read_that_waits_for_a_connection_past_the_origin_response_timeout_is_answered_504()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:MaxOriginConnectionsPerAddress", "1",
            "--Edge:Sites:0:OriginResponseTimeoutSeconds", "1");
        // The only connection is held past the response timeout by a request that is not a read (never given up on).
        var post = f.SendAsync(HttpMethod.Post, "/cart?park", configure: r => r.Content = new StringContent("item=1"));
        await Eventually.TrueAsync(() => f.Origin.InFlight == 1, () => "the POST never reached the origin");

        using var waited = await f.GetAsync("/page");

        Assert.Equal(HttpStatusCode.GatewayTimeout, waited.StatusCode);
        Assert.Equal(0, f.Origin.Hits("/page"));
        f.Origin.Release("/cart");
        using var posted = await post;
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("100001")]
    public void A_cap_out_of_range_stops_startup_naming_the_key(string cap)
    {
        var failures = EdgeFixture.StartupFailures("--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
            "--Edge:Sites:0:Origin", "http://127.0.0.1:1", "--Edge:MaxOriginConnectionsPerAddress", cap);

        Assert.Contains($"Edge:MaxOriginConnectionsPerAddress must be 0 (no cap)..100000, was {cap}", failures);
    }
}
