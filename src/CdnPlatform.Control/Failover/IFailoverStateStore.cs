namespace CdnPlatform.Control.Failover;

/// <summary>
/// Keeps the <see cref="FailoverState"/> where a restarted control plane finds it: in the control plane's Redis
/// (<see cref="RedisFailoverStateStore"/>, outside both datacenters), or in memory when the network has no Redis.
/// </summary>
public interface IFailoverStateStore
{
    /// <summary>The last state saved; null when none ever was.</summary>
    Task<FailoverState?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the whole state: a field that is null in <paramref name="state"/> is null when loaded.</summary>
    Task SaveAsync(FailoverState state, CancellationToken cancellationToken);
}
