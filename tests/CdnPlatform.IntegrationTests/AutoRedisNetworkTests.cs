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
    public async Task DrGateway_ServesReads_AndRefusesWritesAsAReadOnlyDatacenter()
    {
        var gateway = _network.Nodes.First(n => n.Role == "gateway" && n.Name.StartsWith("dr", StringComparison.Ordinal)).Url;

        using var page = await ShopScenario.SiteGetAsync(gateway, "/products/101");
        using var write = await new HttpClient().PostAsync(gateway + "/cart", new FormUrlEncodedContent([new("productId", "101")]));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
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
