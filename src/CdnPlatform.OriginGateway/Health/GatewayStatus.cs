namespace CdnPlatform.OriginGateway.Health;

/// <summary>The gateway's view of its datacenter: every node and its health.</summary>
public sealed record GatewayStatus(string Datacenter, IReadOnlyList<NodeStatus> Nodes)
{
    public int AvailableNodes => Nodes.Count(node => node.Available);
}
