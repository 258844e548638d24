namespace CdnPlatform.Control.Api;

/// <summary>The body of a gateway's <c>PUT /gateway/drains</c>: every drained node of its datacenter.</summary>
public sealed record GatewayDrains(IReadOnlyList<string> Nodes);
