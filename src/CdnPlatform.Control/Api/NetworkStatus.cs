namespace CdnPlatform.Control.Api;

/// <summary><c>GET /v1/status</c>: the purge transport, the sites, each edge as probed now, each external DNS server's state.</summary>
public sealed record NetworkStatus(string Transport, IReadOnlyList<SiteSummary> Sites, IReadOnlyList<EdgeHealth> Edges, int PurgesTracked,
    IReadOnlyList<DnsSecondarySummary> DnsSecondaries);
