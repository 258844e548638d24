using CdnPlatform.Cluster.Transport;
using CdnPlatform.Origin.Content;
using CdnPlatform.Testing;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Tests;

public sealed class RedisShopContentTests(RedisServer redis) : ShopContentContract, IClassFixture<RedisServer>, IDisposable
{
    private readonly List<ConnectionMultiplexer> _connections = [];

    protected override Func<IShopContent> NewDatacenter()
    {
        // Each node its own connection, as on separate hosts; one key prefix per test keeps tests apart. A longer
        // command timeout than a node's 3 s: these tests are about what is stored, not how fast, and a full run once
        // held a publish's conditional transaction past 3 s in this process's starved thread pool (TestProcess).
        var prefix = "shop-" + Guid.NewGuid().ToString("N");
        return () =>
        {
            var connection = ConnectionMultiplexer.Connect(RedisConnectionOptions.Parse(redis.Endpoint + ",asyncTimeout=15000,syncTimeout=15000"));
            lock (_connections)
            {
                _connections.Add(connection);
            }
            return new RedisShopContent(connection, prefix);
        };
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }
}
