using CdnPlatform.Cluster.Health;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// Whether a datacenter is down for failover purposes, and why. It is down only when the control plane cannot
/// reach it <em>and</em> a strict majority of the edges that report a view of it cannot either: the control plane
/// cut off from a datacenter that visitors' edges still reach is a partition, and failing over would move every
/// visitor away from a working datacenter (and lose its unreplicated writes) for nothing.
/// </summary>
public sealed record DatacenterVerdict(bool Down, string Reason)
{
    /// <param name="control">The control plane's own view (its probes of the datacenter's gateways and Redis).</param>
    /// <param name="edges">Each reporting edge's view; <see cref="HealthState.Unknown"/> means the edge has none yet and does not count.</param>
    public static DatacenterVerdict Decide(HealthState control, IReadOnlyCollection<HealthState> edges)
    {
        if (control != HealthState.Down)
        {
            return new(false, control == HealthState.Up ? "the control plane reaches it" : "not probed enough yet");
        }
        var reporting = edges.Count(e => e != HealthState.Unknown);
        var down = edges.Count(e => e == HealthState.Down);
        if (reporting == 0)
        {
            // One observer's view is not enough to move every visitor: manual failover stays possible.
            return new(false, "the control plane cannot reach it, and no edge reports a view to confirm it");
        }
        return down * 2 > reporting
            ? new(true, $"the control plane and {down} of {reporting} edges cannot reach it")
            : new(false, $"the control plane cannot reach it, but {reporting - down} of {reporting} edges still do: a partition, not a failure");
    }
}
