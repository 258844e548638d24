using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary>The whole network with purges carried by a real redis-server, each node on its own connection.</summary>
public sealed class RedisNetworkTests : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly RedisServer _redis;
    private LocalNetwork _network = null!;

    public RedisNetworkTests(RedisServer redis) => _redis = redis;

    public async Task InitializeAsync() => _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = "integration-key-0123456789",
        Redis = _redis.Endpoint,
        ClusterKeyPrefix = "it-" + Guid.NewGuid().ToString("N"),
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
    });

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task MissHitPurgeMissHit()
    {
        Assert.Equal("redis", _network.Transport);
        await NetworkScenario.MissHitPurgeMissHitAsync(_network);
    }

    [Fact]
    public Task DnsFlip_ReachesEveryEdge_OverRedis() => DnsFailoverScenario.FlipAndBackAsync(_network);
}
