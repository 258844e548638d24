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

        var servedBy = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 12; i++)
        {
            var (status, node) = await GetWhoAmIAsync(datacenter.Client);
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
    public async Task Gateway_StopsSendingToAStoppedNode()
    {
        await using var datacenter = await LoopbackDatacenter.StartAsync("n1", "n2", "n3");
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetWhoAmIAsync(datacenter.Client)).Status);
        }

        await datacenter.Nodes["n2"].StopAsync();

        // Round robin would send every third request to n2 while it is still in rotation, so a run of
        // successes longer than that means the health checks have taken it out.
        var failures = 0;
        var successesInARow = 0;
        await Eventually.TrueAsync(async () =>
        {
            var (status, node) = await GetWhoAmIAsync(datacenter.Client);
            if (status == HttpStatusCode.OK)
            {
                Assert.NotEqual("n2", node);
                successesInARow++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.BadGateway, status);
                failures++;
                successesInARow = 0;
            }
            return successesInARow >= 10;
        }, Deadline, () => $"n2 still gets requests after {failures} failures");

        var servedBy = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 30; i++)
        {
            var (status, node) = await GetWhoAmIAsync(datacenter.Client);
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

    private static async Task<(HttpStatusCode Status, string? ServedBy)> GetWhoAmIAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/whoami");
        var servedBy = response.Headers.TryGetValues("X-Served-By", out var values) ? values.Single() : null;
        return (response.StatusCode, servedBy);
    }
}
