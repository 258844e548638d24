using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CdnPlatform.Testing;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>
/// <c>PUT /gateway/drains</c>: a drained node gets no new requests, not even retried ones, while the requests it
/// has finish; <c>/gateway/status</c> says how many it still has.
/// </summary>
public sealed class GatewayDrainTests
{
    [Fact]
    public async Task DrainedNode_GetsNoNewRequests_UntilUndrained()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2", "n3"]);
        var n2 = datacenter.TestNodes["n2"];

        var (status, body) = await datacenter.DrainAsync("n2");

        Assert.Equal(HttpStatusCode.OK, status);
        var drained = datacenter.NodeIn(body, "n2");
        Assert.True(drained.GetProperty("drained").GetBoolean());
        Assert.False(drained.GetProperty("available").GetBoolean());
        Assert.Equal("n2", drained.GetProperty("id").GetString());
        // Sequential requests find every node idle: without the drain n2 would have about a third of them.
        var before = n2.Requests;
        for (var i = 0; i < 60; i++)
        {
            var (answer, node) = await datacenter.GetAsync("/page");
            Assert.Equal(HttpStatusCode.OK, answer);
            Assert.NotEqual("n2", node);
        }
        Assert.Equal(before, n2.Requests);

        Assert.Equal(HttpStatusCode.OK, (await datacenter.DrainAsync()).Status);
        await Eventually.TrueAsync(async () => (await datacenter.GetAsync("/page")).ServedBy == "n2", () => "n2 gets nothing once undrained");
        Assert.True((await datacenter.NodeStatusAsync("n2")).GetProperty("available").GetBoolean());
    }

    [Fact]
    public async Task RequestInFlight_OnANodeBeingDrained_Completes_AndTheStatusCountsItUntilThen()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2"]);
        var n1 = datacenter.TestNodes["n1"];
        var parked = await datacenter.ParkAsync(n1);

        var (_, body) = await datacenter.DrainAsync("n1");

        var draining = datacenter.NodeIn(body, "n1");
        Assert.True(draining.GetProperty("drained").GetBoolean());
        Assert.Equal(1, draining.GetProperty("inFlight").GetInt32());
        Assert.Equal("n2", (await datacenter.GetAsync("/page")).ServedBy);

        n1.Release();
        using (var finished = await parked)
        {
            Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
            Assert.Equal("n1", finished.Headers.GetValues("X-Served-By").Single());
        }
        await Eventually.TrueAsync(async () => (await datacenter.NodeStatusAsync("n1")).GetProperty("inFlight").GetInt32() == 0,
            () => "n1 still counts a request in flight after it answered");
    }

    [Fact]
    public async Task RetryOfARequestCutOff_SkipsANodeDrainedSinceTheRequestBegan()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2", "n3"]);
        var (n1, n2, n3) = (datacenter.TestNodes["n1"], datacenter.TestNodes["n2"], datacenter.TestNodes["n3"]);
        // A request held on n1, and one on n3 so that n3 is busier than n2: a retry choosing among the nodes
        // the request began with would pick idle n2 (power of two choices over two), one choosing among the
        // nodes available now can only pick n3.
        var cutOff = await datacenter.ParkAsync(n1);
        n3.HoldsRequests = true;
        var onN3 = await datacenter.ParkAsync(n3);
        n1.CutsConnections = true;
        Assert.Equal(HttpStatusCode.OK, (await datacenter.DrainAsync("n2")).Status);
        var n2Requests = n2.Requests;

        n1.Release();
        await Eventually.TrueAsync(async () => (await datacenter.NodeStatusAsync("n3")).GetProperty("inFlight").GetInt32() == 2,
            () => "the request n1 cut off was not retried on n3");
        n3.Release();

        using (var retried = await cutOff)
        {
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
            Assert.Equal("n3", retried.Headers.GetValues("X-Served-By").Single());
        }
        (await onN3).Dispose();
        Assert.Equal(n2Requests, n2.Requests);
    }

    [Fact]
    public async Task Drains_NeedTheAdminKey_AndNameWhatIsWrong()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2"]);

        Assert.Equal(HttpStatusCode.Unauthorized, await PutAsync(datacenter.Client, """{"nodes":["n1"]}""", key: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PutAsync(datacenter.Client, """{"nodes":["n1"]}""", key: "not-the-admin-key-0123"));
        var (status, body) = await datacenter.DrainAsync("n1", "n9");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("nodes[1]: 'n9' is not a node of this gateway (n1, n2)", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, await PutAsync(datacenter.Client, """{"nodes":"n1"}""", TestHosts.AdminKey));
        Assert.Equal(HttpStatusCode.BadRequest, await PutAsync(datacenter.Client, """{"nodes":[""", TestHosts.AdminKey));
        // None of the refused calls drained anything.
        Assert.False((await datacenter.NodeStatusAsync("n1")).GetProperty("drained").GetBoolean());
    }

    [Fact]
    public async Task Drains_AreOff_WithoutAnAdminKey()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1"], "--Gateway:AdminKey", "");

        using var response = await datacenter.Client.PutAsJsonAsync("/gateway/drains", new { nodes = new[] { "n1" } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Gateway:AdminKey", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Status_CountsProbes_AndSaysHowTheLastOneWent()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1"]);

        await Eventually.TrueAsync(async () =>
        {
            var node = await datacenter.NodeStatusAsync("n1");
            return node.GetProperty("probes").GetInt64() >= 2 && node.GetProperty("lastProbe").GetString() == "ok";
        }, () => "n1 was not probed twice with success");

        datacenter.TestNodes["n1"].HealthStatus = 503;
        await Eventually.TrueAsync(async () => (await datacenter.NodeStatusAsync("n1")).GetProperty("lastProbe").GetString() == "not ready",
            () => "n1's 503 to its probe is not reported as not ready");

        datacenter.TestNodes["n1"].HealthStatus = 500;
        await Eventually.TrueAsync(async () => (await datacenter.NodeStatusAsync("n1")).GetProperty("lastProbe").GetString() == "failed",
            () => "the failed probe of n1 is not reported");
    }

    private static async Task<HttpStatusCode> PutAsync(HttpClient client, string body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/gateway/drains")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
