using CdnPlatform.Cluster.Purging;
using CdnPlatform.Cluster.Transport;
using StackExchange.Redis;

namespace CdnPlatform.Cluster.Tests;

/// <summary>
/// Connections a test opens to its redis-server, configured as nodes connect in production
/// (<see cref="RedisConnectionOptions"/>), and closed with the test.
/// </summary>
internal sealed class RedisConnections : IDisposable
{
    private readonly string _endpoint;
    private readonly List<ConnectionMultiplexer> _connections = [];

    public RedisConnections(string endpoint) => _endpoint = endpoint;

    public async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(RedisConnectionOptions.Parse(_endpoint));
        lock (_connections)
        {
            _connections.Add(connection);
        }
        return connection;
    }

    /// <summary>A control handle and an edge handle on one log, each on its own connection as on separate hosts.</summary>
    public async Task<(IPurgeBus Control, IPurgeBus Edge)> ConnectBusesAsync(string keyPrefix, int? maxEntries)
    {
        return (await BusAsync(), await BusAsync());

        async Task<IPurgeBus> BusAsync() => maxEntries is { } max
            ? new RedisPurgeBus(await ConnectAsync(), keyPrefix, maxEntries: max)
            : new RedisPurgeBus(await ConnectAsync(), keyPrefix);
    }

    public void Dispose()
    {
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
            _connections.Clear();
        }
    }
}
