namespace CdnPlatform.Control.Api;

/// <summary>
/// <c>GET /v1/dns</c>: where the DNS listens, which datacenter <c>origin.</c> points at, the zones, what
/// <c>www.</c> answers by (the regions and each POP's health), and how far each external server has the zones.
/// </summary>
/// <param name="Listening">E.g. <c>127.0.0.1:8053</c> (UDP and TCP); null when <c>Control:Dns:Port</c> is 0.</param>
public sealed record DnsStatus(string? Listening, string? ActiveDatacenter, IReadOnlyList<DnsZoneView> Zones,
    IReadOnlyList<DnsRegionView> Regions, IReadOnlyList<DnsPopView> Pops, IReadOnlyList<DnsSecondaryView> Secondaries);
