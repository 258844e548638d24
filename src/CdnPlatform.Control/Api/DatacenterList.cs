namespace CdnPlatform.Control.Api;

/// <summary>
/// <c>GET /v1/dc</c>: every datacenter as the health monitor sees it, how often it probes, which one is active,
/// and the last switchover or failover asked for (null before the first).
/// </summary>
public sealed record DatacenterList(int ProbeMilliseconds, string Active, IReadOnlyList<DatacenterView> Datacenters, DatacenterSwitchReport? LastSwitch);
