using StackExchange.Redis;

namespace CdnPlatform.Origin.Storage;

/// <summary>
/// The role from the datacenter's Redis itself (<c>ROLE</c>): a replica is read-only. A primary is asked again
/// at most once a second; a replica at most every 200 ms, so a promotion (<c>REPLICAOF NO ONE</c>) opens the
/// datacenter for writes within 200 ms (a failover's writes fail until then) and no node needs a restart or a
/// config change. Demotion needs no hurry: the switch holds or forwards the old primary's writes at its gateways.
/// </summary>
public sealed class RedisDatacenterRole(IConnectionMultiplexer redis, TimeProvider timeProvider) : IDatacenterRole
{
    private static readonly TimeSpan RecheckPrimaryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecheckReplicaAfter = TimeSpan.FromMilliseconds(200);

    // One reference, swapped whole, so a reader never sees the verdict of one check with the time of another.
    private Observation? _last;

    public async ValueTask<bool> IsWritableAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetTimestamp();
        if (_last is { } last && timeProvider.GetElapsedTime(last.At, now) < (last.Writable ? RecheckPrimaryAfter : RecheckReplicaAfter))
        {
            return last.Writable;
        }

        // One connection string names one server per datacenter; ask the one commands go to.
        var server = redis.GetServers().FirstOrDefault(s => s.IsConnected)
            ?? throw new RedisException("the datacenter's Redis is not connected");
        var role = await server.RoleAsync();
        var writable = role is Role.Master;
        if (writable && server.IsReplica)
        {
            // Promoted since the client last looked: it would keep refusing to send writes to a server it
            // still takes for a replica (it rechecks only every minute), so it looks again now.
            await redis.ConfigureAsync();
        }
        _last = new Observation(writable, now);
        return writable;
    }

    private sealed record Observation(bool Writable, long At);
}
