using CdnPlatform.Cluster.Transport;
using CdnPlatform.Control.Failover;
using CdnPlatform.Testing;
using StackExchange.Redis;

namespace CdnPlatform.Control.Tests.Failover;

/// <summary>The contract over a real redis-server, each handle on its own connection as a restarted control plane would be.</summary>
public sealed class RedisFailoverStateStoreTests(RedisServer redis) : FailoverStateStoreContract, IClassFixture<RedisServer>, IAsyncDisposable
{
    // A prefix per test keeps one test's state out of another's.
    private readonly string _prefix = "t-" + Guid.NewGuid().ToString("N");
    private readonly List<ConnectionMultiplexer> _connections = [];

    protected override async Task<(IFailoverStateStore Saving, IFailoverStateStore Loading)> ConnectAsync() =>
        (new RedisFailoverStateStore(await ConnectionAsync(), _prefix), new RedisFailoverStateStore(await ConnectionAsync(), _prefix));

    private async Task<ConnectionMultiplexer> ConnectionAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(RedisConnectionOptions.Parse(redis.Endpoint));
        _connections.Add(connection);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheState_IsOneHashUnderTheKeyPrefix_AndOtherPrefixesDoNotSeeIt()
    {
        var connection = await ConnectionAsync();
        await new RedisFailoverStateStore(connection, _prefix).SaveAsync(
            new FailoverState(FailoverState.FailingOver, "primary", "dr", "promote", Since, null, null), CancellationToken.None);

        var hash = (await connection.GetDatabase().HashGetAllAsync(_prefix + ":failover")).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());

        Assert.Equal(new Dictionary<string, string>
        {
            ["state"] = "failing-over", ["active"] = "primary", ["target"] = "dr", ["step"] = "promote", ["since"] = "2026-12-02T10:30:15.1230000+00:00",
        }, hash);
        Assert.Null(await new RedisFailoverStateStore(connection, _prefix + "-other").LoadAsync(CancellationToken.None));
    }
}
