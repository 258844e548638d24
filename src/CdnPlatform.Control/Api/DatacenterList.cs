namespace CdnPlatform.Control.Api;

/// <summary><c>GET /v1/dc</c>: every datacenter as the health monitor sees it, and how often it probes.</summary>
public sealed record DatacenterList(int ProbeMilliseconds, IReadOnlyList<DatacenterView> Datacenters);
