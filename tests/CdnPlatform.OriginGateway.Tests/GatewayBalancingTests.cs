using System.Net;
using CdnPlatform.Testing;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>Power of two choices: of two random nodes, the one with fewer requests in flight gets the next.</summary>
public sealed class GatewayBalancingTests
{
    [Fact]
    public async Task NodeBusierThanTheOthers_GetsNoRequests_UntilItCatchesUp()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2", "n3"]);
        var n1 = datacenter.TestNodes["n1"];

        // Park one request on n1 (the only node that holds /hold); on n2 and n3 /hold answers at once.
        var parked = await datacenter.ParkAsync(n1);

        // Every pair that includes n1 has a partner with nothing in flight; round robin or random would send n1 a third.
        var before = n1.Requests;
        for (var i = 0; i < 60; i++)
        {
            var (status, node) = await datacenter.GetAsync("/page");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.NotEqual("n1", node);
        }
        Assert.Equal(before, n1.Requests);

        n1.Release();
        using (var released = await parked)
        {
            Assert.Equal("n1", released.Headers.GetValues("X-Served-By").Single());
        }
        await Eventually.TrueAsync(async () => (await datacenter.GetAsync("/page")).ServedBy == "n1", () => "n1 gets nothing once idle again");
    }
}
