namespace CdnPlatform.Control.Api;

/// <summary><c>GET /v1/nodes</c>: every node of every configured datacenter.</summary>
public sealed record NodeList(IReadOnlyList<NodeView> Nodes);
