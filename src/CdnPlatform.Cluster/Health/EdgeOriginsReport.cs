namespace CdnPlatform.Cluster.Health;

/// <summary>
/// An edge's <c>GET /edge/origins</c>: its view of every origin address it knows. The control plane maps each address
/// to the datacenter whose gateway it is, and counts the edge's view in that datacenter's verdict.
/// </summary>
public sealed record EdgeOriginsReport(string Edge, int ProbeMilliseconds, IReadOnlyList<OriginAddressReport> Origins);
