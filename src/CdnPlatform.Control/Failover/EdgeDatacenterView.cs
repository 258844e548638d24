using CdnPlatform.Cluster.Health;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// One edge's view of one datacenter, from what it reported of the datacenter's gateway addresses. Like the control
/// plane's own view, it is down only when every address it knows is down; <see cref="HealthState.Unknown"/> means the
/// edge cannot report (it did not answer, or knows no address of the datacenter) and does not count in the verdict.
/// </summary>
public sealed record EdgeDatacenterView(string Edge, HealthState View, string Detail)
{
    /// <param name="addresses">The edge's states of the datacenter's addresses it knows; null when the edge did not answer.</param>
    /// <param name="unreachable">Why the edge did not answer, when it did not.</param>
    public static EdgeDatacenterView From(string edge, IReadOnlyCollection<HealthState>? addresses, string? unreachable = null)
    {
        if (addresses is null)
        {
            return new(edge, HealthState.Unknown, $"cannot report: {unreachable ?? "not asked yet"}");
        }
        if (addresses.Count == 0)
        {
            return new(edge, HealthState.Unknown, "cannot report: knows no address of it");
        }
        var up = addresses.Count(a => a == HealthState.Up);
        if (up > 0)
        {
            return new(edge, HealthState.Up, $"reaches {up} of its {addresses.Count} addresses");
        }
        return addresses.All(a => a == HealthState.Down)
            ? new(edge, HealthState.Down, $"reaches none of its {addresses.Count} addresses")
            : new(edge, HealthState.Unknown, "cannot report: not probed enough yet");
    }
}
