using StackExchange.Redis;

namespace CdnPlatform.Origin.Storage;

/// <summary>
/// The role from the datacenter's Redis itself (<c>ROLE</c>): a replica is read-only. A primary is asked again
/// at most once a second; a replica at most every 200 ms, so a promotion (<c>REPLICAOF NO ONE</c>) opens the
/// datacenter for writes within 200 ms (a failover opens its gateways after that) and no node needs a restart or a
/// config change. Demotion needs no hurry: the switch holds or forwards the old primary's writes at its gateways.
/// Writable is said only once the Redis client also takes the server for a primary, or it would refuse the write.
/// </summary>
public sealed class RedisDatacenterRole(IConnectionMultiplexer redis, TimeProvider timeProvider) : IDatacenterRole
{
    private static readonly TimeSpan RecheckPrimaryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecheckReplicaAfter = TimeSpan.FromMilliseconds(200);

    // SE.Redis's own work, not the node's timing: how long to wait between asking it to look again.
    private static readonly TimeSpan ReconfigurePause = TimeSpan.FromMilliseconds(10);
    private const int ReconfigureAttempts = 50;

    // One reference, swapped whole, so a reader never sees the verdict of one check with the time of another.
    private Observation? _last;
    private readonly Lock _gate = new();
    private Task? _reconfiguring;

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
            // Promoted since the client last looked: it would keep refusing to send writes to a server it still takes
            // for a replica (it rechecks only every minute), so it looks again now, and the answer is writable only
            // once it agrees. Every caller waits for the same look: a switchover's held writes arrive together.
            await ReconfigureOnceAsync(server).WaitAsync(cancellationToken);
            writable = !server.IsReplica;
        }
        _last = new Observation(writable, now);
        return writable;
    }

    private Task ReconfigureOnceAsync(IServer server)
    {
        lock (_gate)
        {
            return _reconfiguring is { IsCompleted: false } running ? running : _reconfiguring = ReconfigureAsync(server);
        }
    }

    // ConfigureAsync returns at once, false, while another reconfiguration runs (SE.Redis's own, after a promotion it
    // heard of); a write sent then is refused "not eligible for replica". So it is asked until it sees the primary.
    private async Task ReconfigureAsync(IServer server)
    {
        for (var attempt = 0; attempt < ReconfigureAttempts && server.IsReplica; attempt++)
        {
            if (!await redis.ConfigureAsync())
            {
                await Task.Delay(ReconfigurePause, TimeProvider.System);
            }
        }
    }

    private sealed record Observation(bool Writable, long At);
}
