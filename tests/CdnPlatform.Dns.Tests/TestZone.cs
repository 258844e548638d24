using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Zones;

namespace CdnPlatform.Dns.Tests;

/// <summary><c>shop.test</c> as the local network serves it, plus the odd names the answering rules need.</summary>
internal static class TestZone
{
    public static readonly DomainName Apex = DomainName.Parse("shop.test");

    public const int NegativeTtl = 30;

    public static DnsZone Create()
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
            new ARecord(DomainName.Parse("www.shop.test"), 30, IPAddress.Parse("127.0.10.1")),
            new CNameRecord(DomainName.Parse("shop-alias.shop.test"), 300, DomainName.Parse("www.shop.test")),
            new CNameRecord(DomainName.Parse("elsewhere.shop.test"), 300, DomainName.Parse("cdn.example.net")),
            new TxtRecord(DomainName.Parse("shop.test"), 300, "v=cdnplatform"),
            new ARecord(DomainName.Parse("a.b.shop.test"), 60, IPAddress.Parse("127.0.0.9")),
            // Forty 60-byte strings: far over 512 bytes, so a 512-byte UDP answer must be truncated.
            .. Enumerable.Range(0, 40).Select(i => new TxtRecord(DomainName.Parse("big.shop.test"), 300, $"{i:00}" + new string('x', 58))),
        ]);
    }

    public static ZoneCatalog Catalog() => new([Create()]);
}
