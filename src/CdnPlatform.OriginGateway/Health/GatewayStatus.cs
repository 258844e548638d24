namespace CdnPlatform.OriginGateway.Health;

/// <summary>The gateway's view of its datacenter: every node, its health and its drain.</summary>
/// <param name="Instance">
/// Made afresh when the gateway process starts: a reader that sees it change knows the probe counts started
/// again from zero.
/// </param>
public sealed record GatewayStatus(string Datacenter, string Instance, IReadOnlyList<NodeStatus> Nodes)
{
    public int HealthyNodes => Nodes.Count(node => node.Healthy);
}
