using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Steering;
using CdnPlatform.Dns.Zones;

namespace CdnPlatform.Dns.Tests;

/// <summary>
/// <c>shop.test</c> as the local network serves it, plus the odd names the answering rules need. <c>www.</c> is
/// steered over three POPs by the regions below (this machine, 127.0.0.0/8, is in Europe).
/// </summary>
internal static class TestZone
{
    public static readonly DomainName Apex = DomainName.Parse("shop.test");

    public const int NegativeTtl = 30;

    public const string Ams = "127.0.10.1";
    public const string Nyc = "127.0.10.2";
    public const string Sgp = "127.0.10.3";

    public static readonly IReadOnlyList<PopRegion> Regions =
    [
        new("europe", [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("2001:db8:a::/48")], ["ams"]),
        new("america", [IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("2001:db8:b::/48")], ["nyc", "ams"]),
        new("asia", [IPNetwork.Parse("203.0.113.0/24")], ["sgp"]),
        // More specific than asia's network: a client subnet of all 203.0.113.0/24 cannot say which one it is in.
        new("pacific", [IPNetwork.Parse("203.0.113.128/25")], ["nyc"]),
    ];

    /// <summary>The POPs, every one healthy but those in <paramref name="down"/>.</summary>
    public static IReadOnlyList<Pop> Pops(params string[] down) =>
        [.. new[] { ("ams", Ams), ("nyc", Nyc), ("sgp", Sgp) }.Select(p => new Pop(p.Item1, IPAddress.Parse(p.Item2), !down.Contains(p.Item1)))];

    public static DnsZone Create(params string[] down)
    {
        var soa = new SoaRecord(Apex, 3600, DomainName.Parse("ns.shop.test"), DomainName.Parse("hostmaster.shop.test"),
            2026120201, 3600, 600, 86400, NegativeTtl);
        return new DnsZone(soa,
        [
            new NsRecord(Apex, 3600, DomainName.Parse("ns.shop.test")),
            new ARecord(DomainName.Parse("ns.shop.test"), 3600, IPAddress.Parse("127.0.0.1")),
            new ARecord(DomainName.Parse("origin.shop.test"), 5, IPAddress.Parse("127.0.21.1")),
            new ARecord(DomainName.Parse("origin.shop.test"), 5, IPAddress.Parse("127.0.21.2")),
            new AaaaRecord(DomainName.Parse("origin.shop.test"), 5, IPAddress.Parse("fd00::21:1")),
            new CNameRecord(DomainName.Parse("shop-alias.shop.test"), 300, DomainName.Parse("www.shop.test")),
            new CNameRecord(DomainName.Parse("elsewhere.shop.test"), 300, DomainName.Parse("cdn.example.net")),
            new TxtRecord(DomainName.Parse("shop.test"), 300, "v=cdnplatform"),
            new ARecord(DomainName.Parse("a.b.shop.test"), 60, IPAddress.Parse("127.0.0.9")),
            // Forty 60-byte strings: far over 512 bytes, so a 512-byte UDP answer must be truncated.
            .. Enumerable.Range(0, 40).Select(i => new TxtRecord(DomainName.Parse("big.shop.test"), 300, $"{i:00}" + new string('x', 58))),
        ],
        [new PopSteering(DomainName.Parse("www.shop.test"), 30, Pops(down), Regions)]);
    }

    public static ZoneCatalog Catalog(params string[] down) => new([Create(down)]);
}
