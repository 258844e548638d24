using System.Net;

namespace CdnPlatform.Edge.Tests;

/// <summary>What visitors see when the origin is gone altogether: a short outage must go unnoticed.</summary>
public sealed class EdgeOriginDownTests
{
    [Fact]
    public async Task OriginDown_StaleEntryIsServed()
    {
        await using var f = await EdgeFixture.StartAsync();
        (await f.GetAsync("/page?cc=max-age=10")).Dispose();
        f.Clock.Advance(TimeSpan.FromSeconds(60));
        await f.Origin.DisposeAsync();

        using var response = await f.GetAsync("/page?cc=max-age=10");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET /page #1", await response.Content.ReadAsStringAsync());
        Assert.Contains("origin unreachable, served stale", response.CacheStatus());
    }

    [Fact]
    public async Task OriginDown_MustRevalidateEntry_IsNotServedStale()
    {
        await using var f = await EdgeFixture.StartAsync();
        (await f.GetAsync("/strict?cc=max-age=10,+must-revalidate")).Dispose();
        f.Clock.Advance(TimeSpan.FromSeconds(60));
        await f.Origin.DisposeAsync();

        using var response = await f.GetAsync("/strict?cc=max-age=10,+must-revalidate");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task OriginDown_EntryStalerThanTheSiteAllows_IsNotServed()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:Sites:0:StaleWhenOriginDownSeconds", "30");
        (await f.GetAsync("/old?cc=max-age=10")).Dispose();
        f.Clock.Advance(TimeSpan.FromSeconds(60));
        await f.Origin.DisposeAsync();

        using var response = await f.GetAsync("/old?cc=max-age=10");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }
}
