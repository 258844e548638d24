using CdnPlatform.Testing;
using System.Net;
using CdnPlatform.Cli.Topology;
using StackExchange.Redis;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// <c>cdnctl up --redis auto</c>: the network starts its own redis-servers (purge log, primary store, DR store
/// replicating the primary's) and everything Redis-backed runs on them; they are gone when it stops.
/// </summary>
public sealed class AutoRedisNetworkTests : IAsyncLifetime
{
    private LocalNetwork _network = null!;

    public async Task InitializeAsync() => _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = "integration-key-0123456789",
        StartRedisServers = true,
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
    });

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task DrStore_ReplicatesThePrimarysStore_AndThePurgeLogIsApart()
    {
        Assert.Equal(["control", "primary", "dr"], _network.RedisServers.Select(s => s.Role));
        Assert.Equal("redis", _network.Transport);
        var dr = _network.RedisServers.Single(s => s.Role == "dr");
        using var connection = await ConnectionMultiplexer.ConnectAsync(dr.Endpoint + ",allowAdmin=true");
        var role = await connection.GetServers().Single().RoleAsync();

        var replica = Assert.IsType<Role.Replica>(role);
        Assert.Equal(_network.RedisServers.Single(s => s.Role == "primary").Port, replica.MasterPort);
    }

    [Fact]
    public Task Publish_ReachesEveryEdge() => ShopScenario.PublishReachesEveryEdgeAsync(_network, 112, 44.00m);

    [Fact]
    public Task Visitor_KeepsTheSessionAcrossEdges() => ShopScenario.VisitorKeepsTheSessionAcrossEdgesAsync(_network);

    [Fact]
    public async Task DrGateway_ServesReads_AndForwardsWritesToThePrimary_WhoseNodesAloneTakeThem()
    {
        var gateway = _network.Nodes.First(n => n.Role == "gateway" && n.Name.StartsWith("dr", StringComparison.Ordinal)).Url;
        var drNode = _network.Nodes.First(n => n.Role == "origin" && n.Name.StartsWith("dr", StringComparison.Ordinal)).Url;
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

        using var page = await ShopScenario.SiteGetAsync(gateway, "/products/101");
        // The control plane sets the DR gateways to forward writes to the active datacenter within a second.
        HttpResponseMessage? write = null;
        await Eventually.TrueAsync(async () =>
        {
            write?.Dispose();
            write = await client.SendAsync(CartWrite(gateway));
            return write.Headers.TryGetValues("X-Served-By", out var node) && node.Single().StartsWith("primary", StringComparison.Ordinal);
        }, Eventually.Patience, "a write through the DR gateway is done by a primary node");
        using var direct = await client.SendAsync(CartWrite(drNode));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True((int)write!.StatusCode < 400, $"the forwarded write answered {(int)write.StatusCode}");
        write.Dispose();
        // A DR node itself still refuses writes: its Redis is a replica.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, direct.StatusCode);
    }

    private static HttpRequestMessage CartWrite(string baseUrl)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/cart") { Content = new FormUrlEncodedContent([new("productId", "101")]) };
        request.Headers.Host = "www.shop.test";
        return request;
    }

    [Fact]
    public async Task Stopping_TheNetwork_StopsItsRedisServers()
    {
        var ports = _network.RedisServers.Select(s => s.Port).ToList();

        await _network.DisposeAsync();

        foreach (var port in ports)
        {
            using var client = new System.Net.Sockets.TcpClient();
            await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
        }
    }
}
