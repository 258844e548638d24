using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Steering;

namespace CdnPlatform.Dns.Zones;

/// <summary>
/// A site's zone as the CDN publishes it: <c>origin.&lt;zone&gt;</c> → the active datacenter's gateways (a
/// short TTL, so a flip reaches the edges within seconds), <c>standby.&lt;zone&gt;</c> → the other datacenters'
/// gateways (the edges' failover origin, same TTL, so it flips with <c>origin.</c>), <c>www.&lt;zone&gt;</c> → the healthy points of
/// presence nearest the client (<see cref="PopSteering"/>), and the zone's own SOA and NS (this server).
/// </summary>
public static class SiteZone
{
    /// <summary>The default TTL of <c>origin.</c>: how long an edge may keep the old datacenter after a flip.</summary>
    public const int DefaultOriginTtl = 5;

    /// <summary>How long resolvers keep a <c>www.</c> answer: which POP is nearest changes rarely.</summary>
    public const int PopTtl = 30;

    /// <summary>How long a resolver keeps "no such name": short, since records come and go with the topology.</summary>
    public const int NegativeTtl = 30;

    /// <summary>The zone with <c>www.</c> → every POP in <paramref name="pops"/>, whoever asks.</summary>
    public static DnsZone Build(string zone, IReadOnlyList<IPAddress> originGateways, IReadOnlyList<IPAddress> pops,
        IPAddress nameServer, uint serial, int originTtl = DefaultOriginTtl, IReadOnlyList<IPAddress>? standbyGateways = null) =>
        Build(zone, originGateways, [.. pops.Select((a, i) => new Pop($"pop-{i}", a, Healthy: true))], [], nameServer, serial, originTtl, standbyGateways);

    /// <summary>The zone with <c>www.</c> → the healthy POPs of the client's region (<paramref name="regions"/>), else every healthy one.</summary>
    /// <param name="standbyGateways">The gateways of the datacenters that are not active; none (one datacenter) leaves <c>standby.</c> out.</param>
    public static DnsZone Build(string zone, IReadOnlyList<IPAddress> originGateways, IReadOnlyList<Pop> pops, IReadOnlyList<PopRegion> regions,
        IPAddress nameServer, uint serial, int originTtl = DefaultOriginTtl, IReadOnlyList<IPAddress>? standbyGateways = null)
    {
        var apex = DomainName.Parse(zone);
        var ns = DomainName.Parse("ns." + zone);
        var soa = new SoaRecord(apex, 3600, ns, DomainName.Parse("hostmaster." + zone), serial, 3600, 600, 86400, NegativeTtl);
        return new DnsZone(soa,
            [
                new NsRecord(apex, 3600, ns),
                AddressRecord.For(ns, 3600, nameServer),
                .. originGateways.Select(a => AddressRecord.For(DomainName.Parse("origin." + zone), originTtl, a)),
                .. (standbyGateways ?? []).Select(a => AddressRecord.For(DomainName.Parse("standby." + zone), originTtl, a)),
            ],
            [new PopSteering(DomainName.Parse("www." + zone), PopTtl, pops, regions)]);
    }
}
