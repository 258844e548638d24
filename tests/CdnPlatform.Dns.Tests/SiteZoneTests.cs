using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Answering;
using CdnPlatform.Dns.Zones;

namespace CdnPlatform.Dns.Tests;

public sealed class SiteZoneTests
{
    private static readonly DnsZone Zone = SiteZone.Build("shop.test",
        [IPAddress.Parse("127.0.21.1"), IPAddress.Parse("127.0.21.2")],
        [IPAddress.Parse("127.0.10.1"), IPAddress.Parse("127.0.10.2"), IPAddress.Parse("fd00::10:3")],
        IPAddress.Loopback, serial: 7, standbyGateways: [IPAddress.Parse("127.0.22.1")]);

    [Fact]
    public void Origin_IsTheActiveDatacentersGateways_WithAShortTtl()
    {
        var origin = Zone.At(DomainName.Parse("origin.shop.test"));

        Assert.Equal(["127.0.21.1", "127.0.21.2"], origin.OfType<ARecord>().Select(r => r.Address.ToString()));
        Assert.All(origin, r => Assert.Equal(SiteZone.DefaultOriginTtl, r.TimeToLive));
    }

    [Fact]
    public void Standby_IsTheOtherDatacentersGateways_WithOriginsTtl()
    {
        var standby = Zone.At(DomainName.Parse("standby.shop.test"));

        Assert.Equal(["127.0.22.1"], standby.OfType<ARecord>().Select(r => r.Address.ToString()));
        Assert.All(standby, r => Assert.Equal(SiteZone.DefaultOriginTtl, r.TimeToLive));
    }

    [Fact]
    public void Www_IsEveryPop_Ipv6AsAaaa()
    {
        var www = Zone.At(DomainName.Parse("www.shop.test"));

        Assert.Equal(2, www.OfType<ARecord>().Count());
        Assert.Equal(IPAddress.Parse("fd00::10:3"), Assert.Single(www.OfType<AaaaRecord>()).Address);
    }

    [Fact]
    public void TheZone_HasItsSoaAndNameServer_AndAnswersForItself()
    {
        var answerer = new AuthoritativeAnswerer(new ZoneCatalog([Zone]));
        var query = new DnsMessage { IsQuery = true };
        query.Questions.Add(new DnsQuestion(DomainName.Parse("ns.shop.test"), RecordType.A, RecordClass.INet));

        Assert.Equal(7u, Zone.Soa.SerialNumber);
        Assert.Equal(IPAddress.Loopback, Assert.IsType<ARecord>(Assert.Single(answerer.Answer(query).AnswerRecords)).Address);
    }
}
