using CdnPlatform.Dns.Zones;

namespace CdnPlatform.Control.SiteDns;

/// <summary>
/// The zones as <see cref="SiteDnsService"/> serves them after a change (or at start-up): what secondaries are
/// pushed and what edges are told to re-resolve. <see cref="Serial"/> is every zone's SOA serial.
/// </summary>
public sealed record ZonesPublished(IReadOnlyList<DnsZone> Zones, string ActiveDatacenter, uint Serial);
