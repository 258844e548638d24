using System.Net;

namespace CdnPlatform.Edge.Tests;

/// <summary><c>Edge:OriginSourceAddress</c>: the edge's connections to its origins leave from the address chosen.</summary>
public sealed class OriginSourceAddressTests
{
    [Fact]
    public async Task Fetches_LeaveFromTheSourceAddress()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:OriginSourceAddress", "127.0.41.9");

        using var response = await f.GetAsync("/page");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.41.9", f.Origin.LastRequest("/page")[":remote"]);
    }

    [Fact]
    public async Task Without_ItTheKernelChooses()
    {
        await using var f = await EdgeFixture.StartAsync();

        using var response = await f.GetAsync("/page");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", f.Origin.LastRequest("/page")[":remote"]);
    }

    [Fact]
    public void A_MalformedAddress_StopsStartup_NamingTheKey()
    {
        string[] args = ["--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
                         "--Edge:Sites:0:Origin", "http://127.0.0.1:1", "--Edge:OriginSourceAddress", "edge-1"];
        Assert.Contains(EdgeFixture.StartupFailures(args), f => f.StartsWith("Edge:OriginSourceAddress must be an IP address", StringComparison.Ordinal));
    }
}
