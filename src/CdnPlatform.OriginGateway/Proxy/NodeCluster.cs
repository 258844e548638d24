using CdnPlatform.OriginGateway.Drain;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Transforms;

namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>
/// The YARP configuration of a gateway: every request goes to one of the datacenter's healthy nodes, chosen by
/// power of two choices (the less busy of two picked at random).
/// </summary>
public static class NodeCluster
{
    public const string ClusterId = "origin-nodes";

    public const string RouteId = "all-paths";

    // Above the gateway's own endpoints (order 0), so /healthz and /gateway/status are never forwarded.
    private const int CatchAllOrder = 1000;

    // A probe slower than this fails: a node that needs longer to say it is ready is not serving well either.
    private static readonly TimeSpan LongestProbe = TimeSpan.FromSeconds(10);

    public static RouteConfig Route() => new RouteConfig
    {
        RouteId = RouteId,
        ClusterId = ClusterId,
        Order = CatchAllOrder,
        Match = new RouteMatch { Path = "{**catch-all}" },
    }
    // The nodes serve any site by its Host, and the edges cache by it: pass it on unchanged.
    .WithTransformUseOriginalHostHeader(true);

    public static ClusterConfig Cluster(OriginGatewayOptions options)
    {
        var interval = TimeSpan.FromSeconds(options.HealthCheckIntervalSeconds);
        return new ClusterConfig
        {
            ClusterId = ClusterId,
            // The less busy of two random nodes: it steers around a node that is slow to answer, and unlike plain
            // least-requests it does not send everything to the first node whenever all of them are idle.
            LoadBalancingPolicy = LoadBalancingPolicies.PowerOfTwoChoices,
            Destinations = options.Nodes.ToDictionary(
                node => node.DestinationId,
                node => new DestinationConfig { Address = node.Address.AbsoluteUri },
                StringComparer.OrdinalIgnoreCase),
            HealthCheck = new HealthCheckConfig
            {
                // Drained nodes left out; if every node looks unhealthy, trying them all beats refusing: a broken
                // probe must not take the datacenter down. The gateway's /healthz still reports it for DC failover.
                AvailableDestinationsPolicy = DrainAwareDestinationsPolicy.PolicyName,
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = interval,
                    Timeout = interval < LongestProbe ? interval : LongestProbe,
                    Policy = ConsecutiveProbeFailuresPolicy.PolicyName,
                    Path = options.HealthCheckPath,
                },
                // Takes a node out on failed requests, faster than the next probes can.
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = ConsecutiveNodeFailuresPolicy.PolicyName,
                    ReactivationPeriod = TimeSpan.FromSeconds(options.PassiveReactivationSeconds),
                },
            },
            HttpClient = new HttpClientConfig { DangerousAcceptAnyServerCertificate = false },
        };
    }
}
