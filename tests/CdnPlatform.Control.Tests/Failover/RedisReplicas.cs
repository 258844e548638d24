using System.Globalization;
using System.Net;
using CdnPlatform.Testing;
using StackExchange.Redis;

namespace CdnPlatform.Control.Tests.Failover;

/// <summary>Two real redis-servers as a datacenter pair: DR's a replica of the primary's, as <c>cdnctl up --redis auto</c> starts them.</summary>
internal static class RedisReplicas
{
    /// <summary>Makes <paramref name="replica"/> follow <paramref name="primary"/> and returns, once it does, a connection to both (admin allowed).</summary>
    public static async Task<ConnectionMultiplexer> ReplicateAsync(RedisServer primary, RedisServer replica)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync($"{primary.Endpoint},{replica.Endpoint},allowAdmin=true");
        await redis.GetServer(replica.Endpoint).ReplicaOfAsync(IPEndPoint.Parse(primary.Endpoint));
        if (replica.HasConfigurationFile)
        {
            // As docker-compose.yml seeds DR's file: a replica of the primary on every start, until a switch rewrites it.
            await redis.GetServer(replica.Endpoint).ConfigRewriteAsync();
        }
        await UntilReplicatingAsync(redis, replica, primary);
        return redis;
    }

    public static Task UntilReplicatingAsync(ConnectionMultiplexer redis, RedisServer replica, RedisServer primary) => Eventually.TrueAsync(async () =>
    {
        var info = (await redis.GetServer(replica.Endpoint).InfoAsync("replication")).SelectMany(s => s).ToDictionary(p => p.Key, p => p.Value);
        return info["role"] == "slave" && info.GetValueOrDefault("master_link_status") == "up" && info["master_port"] == primary.Port.ToString(CultureInfo.InvariantCulture);
    }, Eventually.Patience, $"{replica.Endpoint} replicating {primary.Endpoint}");
}
