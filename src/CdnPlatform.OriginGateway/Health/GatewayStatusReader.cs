using CdnPlatform.OriginGateway.Proxy;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace CdnPlatform.OriginGateway.Health;

/// <summary>Reads the nodes' health from YARP's live proxy state.</summary>
public sealed class GatewayStatusReader(OriginGatewayOptions options, IProxyStateLookup proxyState)
{
    public GatewayStatus Read()
    {
        var nodes = new List<NodeStatus>(options.Nodes.Count);
        // Until YARP has loaded its configuration there is no cluster state: no node is available yet.
        proxyState.TryGetCluster(NodeCluster.ClusterId, out var cluster);
        foreach (var node in options.Nodes)
        {
            DestinationState? destination = null;
            cluster?.Destinations.TryGetValue(node.DestinationId, out destination);
            var active = destination?.Health.Active ?? DestinationHealth.Unknown;
            var passive = destination?.Health.Passive ?? DestinationHealth.Unknown;
            nodes.Add(new NodeStatus(
                node.DestinationId,
                node.Address.AbsoluteUri,
                active,
                passive,
                // The same rule as YARP's HealthyAndUnknown policy: unknown counts as available.
                Available: destination is not null
                    && active != DestinationHealth.Unhealthy
                    && passive != DestinationHealth.Unhealthy,
                destination?.ConcurrentRequestCount ?? 0));
        }

        return new GatewayStatus(options.Datacenter, nodes);
    }
}
