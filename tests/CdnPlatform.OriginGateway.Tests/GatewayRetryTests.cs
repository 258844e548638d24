using System.Net;
using System.Text;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Http;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>
/// A request that fails at one node goes to another within the same visitor request when that is safe:
/// reads always, writes only when nothing reached the first node.
/// </summary>
public sealed class GatewayRetryTests
{
    [Fact]
    public async Task Get_CutOffByANode_IsRetriedOnAnother()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2"]);
        datacenter.TestNodes["n1"].CutsConnections = true;

        // Until n1 has had a request (and cut it), every visitor still gets n2's answer.
        await Eventually.TrueAsync(async () =>
        {
            var (status, node) = await datacenter.GetAsync("/page");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("n2", node);
            return datacenter.TestNodes["n1"].Requests > 0;
        }, () => "n1 never got a request");
    }

    [Fact]
    public async Task Get_CutOffByTheOnlyNodeInRotation_IsRetriedOnANodeOutOfRotation()
    {
        // Passive health and n1's probes are kept from taking n1 out too, which would make every node available
        // again (panic): n1 stays the one node in rotation, as a node is between its death and its second failed
        // probe while the others are out, just restarted or with probes timing out on a loaded host.
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2", "n3"],
            "--Gateway:PassiveFailureThreshold", "100");
        var (n1, n2, n3) = (datacenter.TestNodes["n1"], datacenter.TestNodes["n2"], datacenter.TestNodes["n3"]);
        n2.HealthStatus = StatusCodes.Status503ServiceUnavailable;
        n3.HealthStatus = StatusCodes.Status503ServiceUnavailable;
        await Eventually.TrueAsync(async () => !await datacenter.InRotationAsync("n2") && !await datacenter.InRotationAsync("n3"),
            () => "n2 and n3 still in rotation while not ready");
        n1.CutsConnections = true;

        for (var i = 0; i < 5; i++)
        {
            var before = n1.Requests;
            var (status, node) = await datacenter.GetAsync("/page");
            Assert.Equal(before + 1, n1.Requests);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains(node, new[] { "n2", "n3" });
        }
        Assert.True(await datacenter.InRotationAsync("n1"));
    }

    [Fact]
    public async Task Post_ThatReachedANode_IsNotRetried()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2"]);
        var (n1, n2) = (datacenter.TestNodes["n1"], datacenter.TestNodes["n2"]);
        n1.CutsConnections = true;

        var id = 0;
        await Eventually.TrueAsync(async () =>
        {
            var requestId = $"cart-{++id}";
            var status = await PostAsync(datacenter, requestId);
            if (!n1.Received(requestId))
            {
                Assert.Equal(HttpStatusCode.OK, status);
                return false;
            }
            // n1 read the whole POST and then died: it may have acted on it, so n2 must never see it.
            Assert.Equal(HttpStatusCode.BadGateway, status);
            Assert.False(n2.Received(requestId), $"{requestId} was sent again to n2 after n1 had received it");
            return true;
        }, () => $"n1 got none of {id} POSTs");
    }

    [Fact]
    public async Task Post_ToANodeRefusingConnections_IsRetriedOnAnother()
    {
        // The probes are slowed down so that only requests can find n2 gone; one refused request is enough
        // for passive health to say so, which tells the test that a POST did go to n2.
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2"],
            "--Gateway:HealthCheckFailureThreshold", "100", "--Gateway:PassiveFailureThreshold", "1");
        await datacenter.Nodes["n2"].StopAsync();

        var id = 0;
        await Eventually.TrueAsync(async () =>
        {
            var requestId = $"cart-{++id}";
            Assert.Equal(HttpStatusCode.OK, await PostAsync(datacenter, requestId));
            Assert.True(datacenter.TestNodes["n1"].Received(requestId));
            return await datacenter.PassiveHealthAsync("n2") == "unhealthy";
        }, () => $"none of {id} POSTs went to n2");
    }

    private static async Task<HttpStatusCode> PostAsync(LoopbackDatacenter datacenter, string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cart")
        {
            Content = new StringContent($"add={requestId}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add(TestNode.RequestIdHeader, requestId);
        using var response = await datacenter.Client.SendAsync(request);
        return response.StatusCode;
    }
}
