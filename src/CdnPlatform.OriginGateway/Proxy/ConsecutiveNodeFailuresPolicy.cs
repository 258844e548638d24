using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>
/// Passive health: a node that fails <see cref="OriginGatewayOptions.PassiveFailureThreshold"/> requests in a
/// row leaves rotation for the cluster's reactivation period. Unlike YARP's TransportFailureRate it also counts
/// 5xx answers (a node that cannot reach its Redis answers 503 quickly, and would otherwise look healthiest to
/// least-requests balancing), and it reacts to a short run instead of a rate over a minute, so its
/// reactivation period can be seconds (TransportFailureRate's is never shorter than its detection window).
/// </summary>
public sealed class ConsecutiveNodeFailuresPolicy : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "ConsecutiveNodeFailures";

    private readonly ConditionalWeakTable<DestinationState, StrongBox<int>> _failuresInARow = new();
    private readonly IDestinationHealthUpdater _healthUpdater;
    private readonly int _threshold;
    private readonly TimeSpan _defaultReactivation;

    public ConsecutiveNodeFailuresPolicy(IDestinationHealthUpdater healthUpdater, OriginGatewayOptions options)
    {
        _healthUpdater = healthUpdater;
        _threshold = options.PassiveFailureThreshold;
        _defaultReactivation = TimeSpan.FromSeconds(options.PassiveReactivationSeconds);
    }

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var error = context.Features.Get<IForwarderErrorFeature>();
        var failure = error is null ? AttemptFailure.None : AttemptFailures.Classify(error.Error, error.Exception);
        var failuresInARow = _failuresInARow.GetOrCreateValue(destination);
        switch (Judge(failure, context.Response.StatusCode))
        {
            case NodeVerdict.Served:
                Interlocked.Exchange(ref failuresInARow.Value, 0);
                _healthUpdater.SetPassive(cluster, destination, DestinationHealth.Healthy, ReactivationPeriod(cluster));
                break;
            case NodeVerdict.Failed when Interlocked.Increment(ref failuresInARow.Value) >= _threshold:
                // Start afresh: once reactivated, the node again gets a whole run before it is taken out.
                Interlocked.Exchange(ref failuresInARow.Value, 0);
                _healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, ReactivationPeriod(cluster));
                break;
        }
    }

    /// <summary>What one proxied request says about the node that had it.</summary>
    public static NodeVerdict Judge(AttemptFailure failure, int statusCode) => failure switch
    {
        AttemptFailure.None => statusCode >= StatusCodes.Status500InternalServerError ? NodeVerdict.Failed : NodeVerdict.Served,
        // The visitor left or broke its own request: nothing learnt about the node.
        AttemptFailure.VisitorGone => NodeVerdict.Unknown,
        _ => NodeVerdict.Failed,
    };

    private TimeSpan ReactivationPeriod(ClusterState cluster) =>
        cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? _defaultReactivation;
}
