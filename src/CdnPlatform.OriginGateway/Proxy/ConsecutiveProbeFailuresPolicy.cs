using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>
/// Active health: a node whose probe fails <see cref="OriginGatewayOptions.HealthCheckFailureThreshold"/> times
/// in a row leaves rotation, and one good probe brings it back, as YARP's ConsecutiveFailures policy does; a node
/// that answers its probe 503 says itself that it cannot serve, and leaves at once (<see cref="ProbeOutcome.NotReady"/>). It is
/// our own so that it can also keep each node's <see cref="ProbeTally"/>, which YARP does not expose: a rolling
/// deploy waits for a probe of the restarted node, not for a health state left over from before the restart.
/// </summary>
public sealed class ConsecutiveProbeFailuresPolicy(IDestinationHealthUpdater healthUpdater, OriginGatewayOptions options, NodeProbes probes)
    : IActiveHealthCheckPolicy
{
    public const string PolicyName = "ConsecutiveProbeFailures";

    public string Name => PolicyName;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        if (probingResults.Count == 0)
        {
            return;
        }
        var newHealth = new NewActiveDestinationHealth[probingResults.Count];
        for (var i = 0; i < probingResults.Count; i++)
        {
            var destination = probingResults[i].Destination;
            var tally = probes.Record(destination.DestinationId, Outcome(probingResults[i].Response));
            newHealth[i] = new NewActiveDestinationHealth(destination,
                Judge(tally, options.HealthCheckFailureThreshold, destination.Health.Active));
        }
        healthUpdater.SetActive(cluster, newHealth);
    }

    public static ProbeOutcome Outcome(HttpResponseMessage? response) => response switch
    {
        { IsSuccessStatusCode: true } => ProbeOutcome.Ok,
        { StatusCode: System.Net.HttpStatusCode.ServiceUnavailable } => ProbeOutcome.NotReady,
        _ => ProbeOutcome.Failed,
    };

    /// <summary>The node's active health after the probe <paramref name="tally"/> ends with.</summary>
    public static DestinationHealth Judge(ProbeTally tally, int threshold, DestinationHealth previous) =>
        tally.LastSucceeded ? DestinationHealth.Healthy
        : tally.Last == ProbeOutcome.NotReady || tally.FailuresInARow >= threshold ? DestinationHealth.Unhealthy
        // Below the threshold a failure changes nothing: one lost probe must not take a node out.
        : previous;
}
