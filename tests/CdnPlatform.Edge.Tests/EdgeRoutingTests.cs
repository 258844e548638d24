using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CdnPlatform.Testing;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Edge.Tests;

/// <summary>Which requests the edge accepts at all, and what happens when its origin is away.</summary>
public sealed class EdgeRoutingTests
{
    [Fact]
    public async Task UnknownHost_Is421_AndNeverReachesTheOrigin()
    {
        await using var f = await EdgeFixture.StartAsync();
        using var response = await f.GetAsync("/page", host: "evil.test");
        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.Contains("evil.test", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, f.Origin.Hits("/page"));
    }

    [Fact]
    public async Task HostMatch_IgnoresCaseAndPort()
    {
        await using var f = await EdgeFixture.StartAsync();
        using var response = await f.GetAsync("/page", host: "WWW.Shop.Test:8080");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_OnANonSiteHost_AnswersForTheEdge()
    {
        await using var f = await EdgeFixture.StartAsync();
        using var response = await f.GetAsync("/healthz", host: "127.0.0.1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("test", health.GetProperty("edge").GetString());
        Assert.Equal(0, f.Origin.Hits("/healthz"));
    }

    [Fact]
    public async Task Healthz_OnASiteHost_IsTheSitesOwnPath()
    {
        await using var f = await EdgeFixture.StartAsync();
        (await f.GetAsync("/healthz")).Dispose();
        Assert.Equal(1, f.Origin.Hits("/healthz"));
    }

    [Fact]
    public async Task OriginRefusingConnections_Gives502_WithCacheStatusDetail()
    {
        var deadPort = FreePort.OnLoopback();
        await using var f = await EdgeFixture.StartAsync($"http://127.0.0.1:{deadPort}");
        using var response = await f.GetAsync("/page");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("CdnPlatform; fwd=uri-miss; detail=\"origin unreachable\"", response.CacheStatus());
    }

    [Theory]
    [InlineData("--Edge:Sites:0:Origin", "not-a-url", "Edge:Sites:0:Origin")]
    [InlineData("--Edge:Name", "", "Edge:Name")]
    [InlineData("--Edge:MaxObjectBytes", "0", "Edge:MaxObjectBytes")]
    [InlineData("--Edge:Eviction", "lru", "Edge:Eviction")]
    [InlineData("--Edge:Sites:0:Hosts:0", "bad host!", "Edge:Sites:0:Hosts:0")]
    public void BadOption_StopsStartup_NamingTheKey(string key, string value, string named)
    {
        string[] args = ["--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
                         "--Edge:Sites:0:Origin", "http://127.0.0.1:1", key, value];
        var e = Assert.Throws<OptionsValidationException>(() => EdgeHost.Build(args));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void HostClaimedByTwoSites_IsRefused()
    {
        string[] args = ["--Edge:Name", "ams",
            "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test", "--Edge:Sites:0:Origin", "http://127.0.0.1:1",
            "--Edge:Sites:1:Name", "blog", "--Edge:Sites:1:Hosts:0", "WWW.shop.test", "--Edge:Sites:1:Origin", "http://127.0.0.1:1"];
        var e = Assert.Throws<OptionsValidationException>(() => EdgeHost.Build(args));
        Assert.Contains("Edge:Sites:1:Hosts:0", e.Message);
        Assert.Contains("'shop'", e.Message);
    }
}
