using CdnPlatform.Cluster.Health;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// The control plane's probes of one datacenter: each gateway's <c>/healthz</c> and the datacenter's Redis, each
/// through its own <see cref="HealthHysteresis"/>. Owned by <see cref="DatacenterMonitor"/>'s loop (one writer).
/// </summary>
internal sealed class DatacenterProbe
{
    public DatacenterProbe(ControlDatacenterOptions datacenter, ControlFailoverOptions failover)
    {
        Name = datacenter.Name;
        Gateways = [.. datacenter.Gateways.Select(g => (g, new HealthHysteresis(failover.FailAfter, failover.RecoverAfter)))];
        Redis = datacenter.Redis.Length > 0 ? new HealthHysteresis(failover.FailAfter, failover.RecoverAfter) : null;
    }

    public string Name { get; }

    public IReadOnlyList<(string Url, HealthHysteresis Health)> Gateways { get; }

    /// <summary>Null when <c>Control:Datacenters:N:Redis</c> is not set.</summary>
    public HealthHysteresis? Redis { get; }

    /// <summary>The last replication Redis told, kept when a later probe fails: a failover reports what the lost primary last said.</summary>
    public RedisReplication? Replication { get; set; }

    /// <summary>Whether Redis answered the last probe: <see cref="Replication"/> is what it says now, not what it said before it went.</summary>
    public bool RedisAnswered { get; set; }

    /// <summary>
    /// Down when no gateway answers or its Redis does not (its nodes cannot serve without it); up when a gateway
    /// does and Redis is not down; unknown until the probes say more.
    /// </summary>
    public HealthState ControlView()
    {
        if (Redis?.State == HealthState.Down || Gateways.All(g => g.Health.State == HealthState.Down))
        {
            return HealthState.Down;
        }
        return Gateways.Any(g => g.Health.State == HealthState.Up) && Redis?.State != HealthState.Unknown
            ? HealthState.Up
            : HealthState.Unknown;
    }
}
