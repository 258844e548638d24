using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace CdnPlatform.OriginGateway.Drain;

/// <summary>
/// Which nodes get new requests: YARP's HealthyOrPanic with drained nodes left out. Retries choose among the
/// same set (<see cref="Proxy.NodeRetryMiddleware"/>), so a drained node gets no retried request either.
/// </summary>
public sealed class DrainAwareDestinationsPolicy(DrainedNodes drained) : IAvailableDestinationsPolicy
{
    public const string PolicyName = "HealthyUndrainedOrPanic";

    public string Name => PolicyName;

    // Spelt as YARP 2.3 spells it.
    public IReadOnlyList<DestinationState> GetAvailalableDestinations(ClusterConfig config, IReadOnlyList<DestinationState> allDestinations) =>
        Choose(allDestinations, drained);

    /// <summary>
    /// The healthy nodes that are not drained; failing those, the healthy drained ones (a drain takes a node
    /// out of rotation for maintenance, it must never turn visitors away that the node could still serve, and a
    /// drained node that keeps getting requests never reports idle, so a deploy waits instead of restarting the
    /// last node that serves); failing those too, panic as HealthyOrPanic does: every node not drained, or every
    /// node when all are.
    /// </summary>
    public static IReadOnlyList<DestinationState> Choose(IReadOnlyList<DestinationState> all, DrainedNodes drained)
    {
        var undrained = new List<DestinationState>(all.Count);
        var healthyUndrained = new List<DestinationState>(all.Count);
        var healthyDrained = new List<DestinationState>();
        foreach (var destination in all)
        {
            var isDrained = drained.Contains(destination.DestinationId);
            if (!isDrained)
            {
                undrained.Add(destination);
            }
            if (IsHealthy(destination))
            {
                (isDrained ? healthyDrained : healthyUndrained).Add(destination);
            }
        }
        if (healthyUndrained.Count > 0)
        {
            return healthyUndrained;
        }
        if (healthyDrained.Count > 0)
        {
            return healthyDrained;
        }
        return undrained.Count > 0 ? undrained : all;
    }

    /// <summary>YARP's HealthyAndUnknown rule: neither health check says the node is unhealthy.</summary>
    public static bool IsHealthy(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;
}
