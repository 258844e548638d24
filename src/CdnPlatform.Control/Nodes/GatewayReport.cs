using CdnPlatform.Control.Api;

namespace CdnPlatform.Control.Nodes;

/// <summary>What one gateway answered about its nodes, or why it did not.</summary>
public sealed record GatewayReport(string Gateway, string? Error, IReadOnlyDictionary<string, GatewayNodeView> Nodes)
{
    public static GatewayReport Failed(string gateway, string error) => new(gateway, error, new Dictionary<string, GatewayNodeView>());

    /// <summary>The gateway's view of <paramref name="node"/>; unreachable when the gateway did not answer or does not know the node.</summary>
    public GatewayNodeView For(string node) =>
        Error is not null ? GatewayNodeView.Unreachable(Gateway, Error)
        : Nodes.TryGetValue(node, out var view) ? view
        : GatewayNodeView.Unreachable(Gateway, $"the gateway has no node '{node}' (Gateway:Nodes:N:Name)");
}
