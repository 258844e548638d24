using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Transforms;

namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>The YARP configuration of a gateway: every request, round robin over the datacenter's healthy nodes.</summary>
public static class NodeCluster
{
    public const string ClusterId = "origin-nodes";

    public const string RouteId = "all-paths";

    // Above the gateway's own endpoints (order 0), so /healthz and /gateway/status are never forwarded.
    private const int CatchAllOrder = 1000;

    private const string ConsecutiveFailures = "ConsecutiveFailures";

    private const string TransportFailureRate = "TransportFailureRate";

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
            LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
            Destinations = options.Nodes.ToDictionary(
                node => node.DestinationId,
                node => new DestinationConfig { Address = node.Address.AbsoluteUri },
                StringComparer.OrdinalIgnoreCase),
            HealthCheck = new HealthCheckConfig
            {
                // If every node looks unhealthy, trying them all beats refusing: a broken probe must not
                // take the datacenter down. The gateway's /healthz still reports it for DC failover.
                AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = interval,
                    // A node that needs longer than the interval to say it is healthy is not serving well either.
                    Timeout = interval < TimeSpan.FromSeconds(10) ? interval : TimeSpan.FromSeconds(10),
                    Policy = ConsecutiveFailures,
                    Path = options.HealthCheckPath,
                },
                // Takes a node out on failed requests, faster than the next probes can.
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = TransportFailureRate,
                },
            },
            HttpClient = new HttpClientConfig { DangerousAcceptAnyServerCertificate = false },
        };
    }
}
