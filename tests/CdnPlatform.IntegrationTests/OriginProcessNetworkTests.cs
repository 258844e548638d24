using System.Net;
using System.Text.Json;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// <c>cdnctl up --redis auto --origin-processes</c>: every origin node a process of its own, so a test or a
/// benchmark kills one with SIGKILL as a host dies, and the network goes on serving through the others.
/// </summary>
public sealed class OriginProcessNetworkTests : IAsyncLifetime
{
    private LocalNetwork _network = null!;

    public async Task InitializeAsync() => _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = "integration-key-0123456789",
        StartRedisServers = true,
        OriginProcesses = true,
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
    });

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task AKilledNodeProcess_CostsNoRequestThroughTheEdges_AndComesBackOnItsUrl()
    {
        var victim = _network.Nodes.Single(n => n.Name == "primary-1");

        await _network.KillNodeAsync(victim.Url);

        // /whoami is never cached: every request crosses an edge, a gateway and a node.
        for (var i = 0; i < 60; i++)
        {
            var edge = _network.EdgeNodes[i % 3].Url;
            using var response = await ShopScenario.SiteGetAsync(edge, "/whoami");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual("primary-1", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("node").GetString());
        }
        using (var client = new HttpClient())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(victim.Url + "/healthz"));
        }

        Assert.Equal(victim.Url, await _network.RestartNodeAsync(victim.Url));

        Assert.Equal(1, _network.Nodes.Single(n => n.Name == "primary-1").Restarts);
        await Eventually.TrueAsync(async () =>
        {
            using var response = await ShopScenario.SiteGetAsync(_network.EdgeNodes[0].Url, "/whoami");
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("node").GetString() == "primary-1";
        }, Eventually.Patience, "primary-1 serves again after its restart");
    }

    [Fact]
    public async Task OriginProcesses_WithoutRedis_AreRefused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => LocalNetwork.StartAsync(new LocalNetworkOptions
        {
            ApiKey = "integration-key-0123456789",
            OriginProcesses = true,
            NodePort = 0,
            ControlPort = 0,
            DnsPort = 0,
        }));

        Assert.Contains("--redis auto", error.Message);
    }
}
