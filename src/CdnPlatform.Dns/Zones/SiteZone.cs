using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace CdnPlatform.Dns.Zones;

/// <summary>
/// A site's zone as the CDN publishes it: <c>origin.&lt;zone&gt;</c> → the active datacenter's gateways (a
/// short TTL, so a flip reaches the edges within seconds), <c>www.&lt;zone&gt;</c> → the points of presence,
/// and the zone's own SOA and NS (this server).
/// </summary>
public static class SiteZone
{
    /// <summary>The default TTL of <c>origin.</c>: how long an edge may keep the old datacenter after a flip.</summary>
    public const int DefaultOriginTtl = 5;

    /// <summary>How long resolvers keep a <c>www.</c> answer: which POP is nearest changes rarely.</summary>
    public const int PopTtl = 30;

    /// <summary>How long a resolver keeps "no such name": short, since records come and go with the topology.</summary>
    public const int NegativeTtl = 30;

    public static DnsZone Build(string zone, IReadOnlyList<IPAddress> originGateways, IReadOnlyList<IPAddress> pops,
        IPAddress nameServer, uint serial, int originTtl = DefaultOriginTtl)
    {
        var apex = DomainName.Parse(zone);
        var ns = DomainName.Parse("ns." + zone);
        var soa = new SoaRecord(apex, 3600, ns, DomainName.Parse("hostmaster." + zone), serial, 3600, 600, 86400, NegativeTtl);
        return new DnsZone(soa,
        [
            new NsRecord(apex, 3600, ns),
            Address(ns, 3600, nameServer),
            .. originGateways.Select(a => Address(DomainName.Parse("origin." + zone), originTtl, a)),
            .. pops.Select(a => Address(DomainName.Parse("www." + zone), PopTtl, a)),
        ]);
    }

    private static DnsRecordBase Address(DomainName name, int ttl, IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6
        ? new AaaaRecord(name, ttl, address)
        : new ARecord(name, ttl, address);
}
