namespace CdnPlatform.Control.Api;

/// <summary>One origin node as <c>/v1/nodes</c> answers for it.</summary>
/// <param name="State"><c>active</c>, <c>draining</c> or <c>idle</c> (<see cref="Nodes.DrainState"/>).</param>
/// <param name="InFlight">Requests in flight to the node, summed over the gateways that answered.</param>
public sealed record NodeView(string Datacenter, string Node, string State, int InFlight, IReadOnlyList<GatewayNodeView> Gateways);
