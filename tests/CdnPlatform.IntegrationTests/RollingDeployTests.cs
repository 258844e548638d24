using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CdnPlatform.Cli.Deploy;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// The bar of issue 10's drain item: a rolling deploy of the primary datacenter, under steady traffic through
/// the edges, fails no request. Driven through <see cref="RollingDeploy"/>, what <c>cdnctl deploy</c> runs.
/// </summary>
[Collection(UnderLoadCollection.Name)]
public sealed class RollingDeployTests : IAsyncLifetime
{
    private LocalNetwork _network = null!;

    public async Task InitializeAsync() => _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = "deploy-api-key-0123456789",
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
    });

    public async Task DisposeAsync() => await _network.DisposeAsync();

    private IReadOnlyList<NetworkNode> PrimaryNodes => _network.Nodes.Where(n => n.Role == "origin" && n.Name.StartsWith("primary-", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task RestartNodeAsync_BringsTheNodeBackOnTheSameUrl_WhereTheGatewaysProbeIt()
    {
        var node = PrimaryNodes[0];
        using var client = new HttpClient();
        var gateway = _network.Nodes.Single(n => n.Name == "primary-gw1").Url;
        var before = await ProbesAsync(client, gateway, node.Name);

        var url = await _network.RestartNodeAsync(node.Url);

        Assert.Equal(node.Url, url);
        Assert.Equal(node.Url, _network.Nodes.Single(n => n.Name == node.Name).Url);
        Assert.Equal(1, _network.Nodes.Single(n => n.Name == node.Name).Restarts);
        using (var health = await client.GetAsync(url + "/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        // Probes that began after the restart reach the node where the gateway knows it.
        await Eventually.TrueAsync(async () =>
        {
            var now = await ProbesAsync(client, gateway, node.Name);
            return now.Probes >= before.Probes + 2 && now.LastProbe == "ok";
        }, () => $"{node.Name} is not probed healthy at {gateway} after its restart");
    }

    [Fact]
    public async Task RollingDeploy_UnderSteadyLoadThroughTheEdges_FailsNoRequest_AndRestartsEveryNode()
    {
        // Pages the edges cache (after one miss each), pages no edge has cached, and a page no edge caches.
        var load = new SteadyLoad(_network.EdgeNodes.Select(e => e.Url).ToList(), ["/products/101", "/whoami", "/", "/products/101?v={n}", "/whoami", "/?v={n}"]);
        load.Start(visitors: 6);
        var events = new ConcurrentQueue<(DeployEvent Event, long At)>();
        bool deployed;
        try
        {
            await Eventually.TrueAsync(() => load.Completed >= 60, Eventually.Patience, "the load never got going");
            using var control = new HttpClient { BaseAddress = new Uri(_network.ControlUrl), Timeout = TimeSpan.FromSeconds(60) };
            control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _network.ApiKey);
            var api = new NodeApi(control);
            var deploy = new RollingDeploy(api, new ControlPlaneRestart(api), TimeSpan.FromSeconds(60), TimeProvider.System,
                step => events.Enqueue((step, Stopwatch.GetTimestamp())));

            deployed = await deploy.RunAsync("primary", CancellationToken.None);

            // The load goes on until every node has answered again since it was put back (a failed deploy is reported below).
            bool ServedSincePutBack(NetworkNode node) => load.WhoAmI.Any(w => w.Node == node.Name && w.Started > At(events, node.Name, DeployStage.Undraining));
            await Eventually.TrueAsync(() => !deployed || PrimaryNodes.All(ServedSincePutBack),
                () => $"no request reached {string.Join(", ", PrimaryNodes.Where(n => !ServedSincePutBack(n)).Select(n => n.Name))} since it was put back");
        }
        finally
        {
            await load.StopAsync();
        }

        Assert.True(deployed, string.Join("\n", events.Select(e => e.Event.Message)));
        Assert.Empty(load.Failures);
        Assert.All(PrimaryNodes, node => Assert.Equal(1, node.Restarts));
        foreach (var node in PrimaryNodes)
        {
            var (idle, undraining) = (At(events, node.Name, DeployStage.Idle), At(events, node.Name, DeployStage.Undraining));
            // From idle to undrained the node is out: no request begun after it went idle reached it before it was put back...
            Assert.DoesNotContain(load.WhoAmI, w => w.Node == node.Name && w.Started > idle && w.Finished < undraining);
            // ...while visitors kept being served by the other nodes.
            Assert.Contains(load.WhoAmI, w => w.Node != node.Name && w.Started > idle && w.Finished < undraining);
        }
    }

    private static long At(ConcurrentQueue<(DeployEvent Event, long At)> events, string node, DeployStage stage) =>
        events.Where(e => e.Event.Node == node && e.Event.Stage == stage).Select(e => e.At).DefaultIfEmpty(long.MaxValue).First();

    private static async Task<(long Probes, string? LastProbe)> ProbesAsync(HttpClient client, string gateway, string node)
    {
        using var status = JsonDocument.Parse(await client.GetStringAsync(gateway + "/gateway/status"));
        var entry = status.RootElement.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == node);
        return (entry.GetProperty("probes").GetInt64(), entry.GetProperty("lastProbe").GetString());
    }
}
