using CdnPlatform.Cluster.Transport;
using CdnPlatform.Origin.Publishing;
using CdnPlatform.Testing;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Tests;

public sealed class RedisPurgeOutboxTests(RedisServer redis) : PurgeOutboxContract, IClassFixture<RedisServer>, IDisposable
{
    private readonly List<ConnectionMultiplexer> _connections = [];
    private readonly string _prefix = "outbox-" + Guid.NewGuid().ToString("N")[..8];

    protected override Func<IPurgeOutbox> NewDatacenter() => () =>
    {
        var connection = ConnectionMultiplexer.Connect(RedisConnectionOptions.Parse(redis.Endpoint));
        lock (_connections)
        {
            _connections.Add(connection);
        }
        return new RedisPurgeOutbox(connection, _prefix);
    };

    // Redis keeps the lease on its own clock: the claim key's expiry. Expire it now instead of waiting 15 s.
    protected override async Task LetTheLeaseRunOutAsync(TimeSpan by)
    {
        var database = _connections[0].GetDatabase();
        var server = _connections[0].GetServers().Single();
        await foreach (var key in server.KeysAsync(pattern: _prefix + ":purge-outbox:claim:*"))
        {
            await database.KeyDeleteAsync(key);
        }
    }

    [Fact]
    public async Task Entries_LiveInTheDatacentersRedis_AsAStream()
    {
        var outbox = NewDatacenter()();
        await outbox.AppendAsync(["product-101"], PublishedAt);

        Assert.Equal(1, await _connections[0].GetDatabase().StreamLengthAsync(_prefix + ":purge-outbox"));
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }
}
