namespace CdnPlatform.Control.Api;

/// <summary>One zone of <c>GET /v1/dns</c>: its apex, SOA serial and every record as a zone file would show it.</summary>
public sealed record DnsZoneView(string Zone, uint Serial, int NegativeTtl, IReadOnlyList<DnsRecordView> Records);
