using System.Net;
using static CdnPlatform.Edge.Tests.TwoDatacenters;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// The origin group as the local network has it: <c>origin.shop.test</c> the primary and <c>standby.shop.test</c>
/// the failover origin, both resolved through the zone's DNS, so when the zone flips the failover origin flips too.
/// </summary>
public sealed class EdgeOriginGroupDnsTests
{
    private static async Task<HttpResponseMessage> GetOkAsync(EdgeFixture edge, string path)
    {
        var response = await edge.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static string ServedBy(HttpResponseMessage response) => response.Headers.GetValues("X-Served-By").Single();

    [Fact]
    public async Task TheActiveDatacenterAnswering503_TheStandbyAnswers_BeforeAndAfterAFlip()
    {
        await using var dcs = await StartAsync();
        await using var edge = await dcs.StartEdgeAsync(null, "--Edge:Sites:0:FailoverOrigin", dcs.StandbyUrl);
        await UntilNameResolvedAsync(edge, StandbyName, "fresh", AddressB);
        dcs.A.AnswerStatus = 503;

        using (var response = await GetOkAsync(edge, "/before?cc=no-store"))
        {
            Assert.Equal("gateway-b", ServedBy(response));
            Assert.Contains("detail=\"failover origin\"", response.CacheStatus());
        }

        dcs.PointOriginAt(AddressB);
        await dcs.SignalChangeAsync();
        await UntilResolvedAsync(edge, "fresh", AddressB);
        await UntilNameResolvedAsync(edge, StandbyName, "fresh", AddressA);
        dcs.A.AnswerStatus = 200;
        dcs.B.AnswerStatus = 503;

        using (var response = await GetOkAsync(edge, "/after?cc=no-store"))
        {
            Assert.Equal("gateway-a", ServedBy(response));
            Assert.Contains("detail=\"failover origin\"", response.CacheStatus());
        }
    }
}
