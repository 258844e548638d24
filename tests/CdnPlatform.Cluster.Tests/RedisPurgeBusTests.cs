using System.Threading.Channels;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using StackExchange.Redis;

namespace CdnPlatform.Cluster.Tests;

/// <summary>The bus contract over a real redis-server, each side on its own connection as on separate hosts.</summary>
public sealed class RedisPurgeBusTests : PurgeBusContract, IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly RedisServer _redis;
    private readonly List<ConnectionMultiplexer> _connections = [];
    // A prefix per test keeps messages of one test out of another's subscriptions.
    private readonly string _prefix = "test-" + Guid.NewGuid().ToString("N");

    public RedisPurgeBusTests(RedisServer redis) => _redis = redis;

    protected override async Task<(IPurgeBus Control, IPurgeBus Edge)> ConnectAsync()
        => (new RedisPurgeBus(await ConnectRedisAsync(), _prefix), new RedisPurgeBus(await ConnectRedisAsync(), _prefix));

    private async Task<ConnectionMultiplexer> ConnectRedisAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(_redis.Endpoint);
        _connections.Add(connection);
        return connection;
    }

    [Fact]
    public async Task MalformedMessageOnChannel_IsDropped_AndLaterPurgesArrive()
    {
        var (control, edge) = await ConnectAsync();
        var received = Channel.CreateUnbounded<string>();
        await using var _ = await edge.SubscribePurgesAsync(m => received.Writer.WriteAsync(m.Id).AsTask());

        var raw = await ConnectRedisAsync();
        await raw.GetSubscriber().PublishAsync(_prefix + ":purge", "{not json");
        await control.PublishAsync(new PurgeMessage("after-junk", "shop", [], DateTimeOffset.UnixEpoch));

        Assert.Equal("after-junk", await received.Reader.ReadAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task DifferentKeyPrefixes_DoNotSeeEachOthersPurges()
    {
        var mine = new RedisPurgeBus(await ConnectRedisAsync(), _prefix);
        var other = new RedisPurgeBus(await ConnectRedisAsync(), _prefix + "-other");
        var received = Channel.CreateUnbounded<string>();
        await using var _ = await mine.SubscribePurgesAsync(m => received.Writer.WriteAsync(m.Id).AsTask());

        await other.PublishAsync(new PurgeMessage("foreign", "shop", [], DateTimeOffset.UnixEpoch));
        await mine.PublishAsync(new PurgeMessage("own", "shop", [], DateTimeOffset.UnixEpoch));

        Assert.Equal("own", await received.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        Assert.False(received.Reader.TryRead(out var _));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
        return Task.CompletedTask;
    }
}
