using CdnPlatform.OriginGateway.Drain;
using CdnPlatform.OriginGateway.Proxy;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace CdnPlatform.OriginGateway.Health;

/// <summary>Reads the nodes' health, drains and requests in flight from YARP's live proxy state.</summary>
public sealed class GatewayStatusReader(OriginGatewayOptions options, IProxyStateLookup proxyState, DrainedNodes drained, NodeProbes probes)
{
    private readonly string _instance = Guid.NewGuid().ToString("N");

    public GatewayStatus Read()
    {
        var nodes = new List<NodeStatus>(options.Nodes.Count);
        // Until YARP has loaded its configuration there is no cluster state: no node is available yet.
        proxyState.TryGetCluster(NodeCluster.ClusterId, out var cluster);
        var available = cluster?.DestinationsState?.AvailableDestinations ?? [];
        foreach (var node in options.Nodes)
        {
            DestinationState? destination = null;
            cluster?.Destinations.TryGetValue(node.DestinationId, out destination);
            var tally = probes.Of(node.DestinationId);
            nodes.Add(new NodeStatus(
                node.DestinationId,
                node.Address.AbsoluteUri,
                destination?.Health.Active ?? DestinationHealth.Unknown,
                destination?.Health.Passive ?? DestinationHealth.Unknown,
                Healthy: destination is not null && DrainAwareDestinationsPolicy.IsHealthy(destination),
                Drained: drained.Contains(node.DestinationId),
                Available: destination is not null && available.Contains(destination),
                InFlight: destination?.ConcurrentRequestCount ?? 0,
                tally.Rounds,
                tally.Rounds == 0 ? null : tally.Last switch
                {
                    ProbeOutcome.Ok => "ok",
                    ProbeOutcome.NotReady => "not ready",
                    _ => "failed",
                },
                tally.FailuresInARow));
        }

        return new GatewayStatus(options.Datacenter, _instance, nodes);
    }
}
