using System.Net;
using System.Text.Json;
using CdnPlatform.Testing;

namespace CdnPlatform.OriginGateway.Tests;

public sealed class OriginGatewayTests
{
    // Bounds the waits for health checks to react; the tests assert what happens, never how fast.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Gateway_SpreadsRequestsOverAllNodes()
    {
        await using var datacenter = await LoopbackDatacenter.StartAsync("n1", "n2", "n3");

        // Sequential requests leave every node idle, so power of two choices picks at random: within a few
        // dozen requests each node has had some (missing one after 100 has odds of about 1 in 10^17).
        var servedBy = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 100 && servedBy.Count < 3; i++)
        {
            var (status, node) = await datacenter.GetAsync("/whoami");
            Assert.Equal(HttpStatusCode.OK, status);
            servedBy.Add(node!);
        }

        Assert.Equal(["n1", "n2", "n3"], servedBy.Order());
    }

    [Fact]
    public async Task Gateway_KeepsOriginalHostHeader()
    {
        await using var datacenter = await LoopbackDatacenter.StartAsync("n1", "n2");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Host = "www.shop.test";
        using var response = await datacenter.Client.SendAsync(request);

        response.EnsureSuccessStatusCode();
        using var whoAmI = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("www.shop.test", whoAmI.RootElement.GetProperty("host").GetString());
    }

    [Fact]
    public async Task Gateway_TakesAStoppedNodeOutOfRotation_WithoutAFailedRequest()
    {
        await using var datacenter = await LoopbackDatacenter.StartAsync("n1", "n2", "n3");
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await datacenter.GetAsync("/whoami")).Status);
        }

        await datacenter.Nodes["n2"].StopAsync();

        // While the probes catch up, requests that land on n2 are refused and retried on another node.
        var failures = new List<HttpStatusCode>();
        await Eventually.TrueAsync(async () =>
        {
            var (status, node) = await datacenter.GetAsync("/whoami");
            if (status != HttpStatusCode.OK)
            {
                failures.Add(status);
            }
            Assert.NotEqual("n2", node);
            return !await datacenter.InRotationAsync("n2");
        }, Deadline, () => "n2 is still in rotation");
        Assert.Empty(failures);

        var servedBy = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 30; i++)
        {
            var (status, node) = await datacenter.GetAsync("/whoami");
            Assert.Equal(HttpStatusCode.OK, status);
            servedBy.Add(node!);
        }

        Assert.Equal(["n1", "n3"], servedBy.Order());
    }

    [Fact]
    public async Task Gateway_HealthzReports503WhenAllNodesAreDown()
    {
        await using var datacenter = await LoopbackDatacenter.StartAsync("n1", "n2");
        using (var healthy = await datacenter.Client.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        await datacenter.Nodes["n1"].StopAsync();
        await datacenter.Nodes["n2"].StopAsync();

        var (status, body) = await Eventually.ValueAsync(async () =>
        {
            using var response = await datacenter.Client.GetAsync("/healthz");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }, health => health.StatusCode != HttpStatusCode.OK, Deadline, _ => "the gateway still reports healthy with every node stopped");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        using var health = JsonDocument.Parse(body);
        Assert.Equal("unhealthy", health.RootElement.GetProperty("status").GetString());
        Assert.Contains("all 2 origin nodes are unhealthy", health.RootElement.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/gateway/status")]
    public async Task Gateway_AnswersItsOwnEndpointsForAnyHost(string path)
    {
        await using var datacenter = await LoopbackDatacenter.StartAsync("n1");

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "www.shop.test";
        using var response = await datacenter.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Served-By"), "forwarded to a node instead of answered by the gateway");
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(TestHosts.Datacenter, json.RootElement.GetProperty("datacenter").GetString());
    }

    [Fact]
    public async Task GatewayStatus_ListsEveryNodeWithItsHealth()
    {
        await using var datacenter = await LoopbackDatacenter.StartAsync("n1", "n2");

        using var status = JsonDocument.Parse(await datacenter.Client.GetStringAsync("/gateway/status"));

        var nodes = status.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(
            datacenter.Nodes.Values.Select(node => node.Address.AbsoluteUri).Order(),
            nodes.Select(node => node.GetProperty("address").GetString()).Order());
        Assert.All(nodes, node =>
        {
            Assert.Contains(node.GetProperty("active").GetString(), new[] { "unknown", "healthy" });
            Assert.Contains(node.GetProperty("passive").GetString(), new[] { "unknown", "healthy" });
            Assert.True(node.GetProperty("available").GetBoolean());
        });
    }
}
