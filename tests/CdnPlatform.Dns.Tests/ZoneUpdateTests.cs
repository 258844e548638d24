using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using ARSoft.Tools.Net.Dns.DynamicUpdate;
using CdnPlatform.Dns.Updating;
using CdnPlatform.Dns.Zones;

namespace CdnPlatform.Dns.Tests;

/// <summary>What the RFC 2136 update for an external primary holds, record by record, and how it is signed.</summary>
public sealed class ZoneUpdateTests
{
    private static readonly TsigKey Key = new(DomainName.Parse("cdn-key"), TSigAlgorithm.Sha256, [.. Enumerable.Range(1, 32).Select(i => (byte)i)]);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static readonly DnsZone Zone = SiteZone.Build("shop.test",
        [IPAddress.Parse("127.0.21.1"), IPAddress.Parse("fd00::21:2")],
        [IPAddress.Parse("127.0.10.1"), IPAddress.Parse("127.0.10.2")],
        IPAddress.Loopback, serial: 7);

    private static DnsUpdateMessage Build(params string[] retired) =>
        ZoneUpdate.Build(Zone, [.. retired.Select(DomainName.Parse)], Key, Now, transactionId: 4242);

    // One line per update, as an operator would say it.
    private static string Describe(UpdateBase update) => update switch
    {
        DeleteAllRecordsUpdate delete => $"delete {delete.Name} {delete.RecordType}",
        AddRecordUpdate add => $"add {add.Record.Name} {add.Record.TimeToLive} {add.Record.RecordType} {((IAddressRecord)add.Record).Address}",
        _ => update.GetType().Name,
    };

    [Fact]
    public void EveryPublishedName_IsReplacedWhole_DeleteThenAdd()
    {
        var update = Build();

        Assert.Equal(
            [
                "delete origin.shop.test. Any",
                "add origin.shop.test. 5 A 127.0.21.1",
                "add origin.shop.test. 5 Aaaa fd00::21:2",
                "delete www.shop.test. Any",
                "add www.shop.test. 30 A 127.0.10.1",
                "add www.shop.test. 30 A 127.0.10.2",
            ],
            update.Updates.Select(Describe));
        Assert.Equal(DomainName.Parse("shop.test"), update.ZoneName);
        Assert.Empty(update.Prequisites);
    }

    [Fact]
    public void TheApexAndItsNameServer_AreLeftToTheServer()
    {
        Assert.Equal(["origin.shop.test.", "www.shop.test."], ZoneUpdate.PublishedNames(Zone).Select(n => n.ToString()));
        Assert.DoesNotContain(Build().Updates, u => u.Name.Equals(Zone.Origin) || u.Name.Equals(DomainName.Parse("ns.shop.test")));
    }

    [Fact]
    public void NamesTheZoneNoLongerHas_AreDeleted_OthersOutsideItIgnored()
    {
        var update = Build("eu.www.shop.test", "origin.shop.test", "www.blog.test");

        Assert.Equal("delete eu.www.shop.test. Any", Describe(update.Updates[0]));
        Assert.Single(update.Updates, u => u.Name.Equals(DomainName.Parse("origin.shop.test")) && u is DeleteAllRecordsUpdate);
        Assert.DoesNotContain(update.Updates, u => u.Name.Equals(DomainName.Parse("www.blog.test")));
    }

    [Fact]
    public void TheUpdate_IsSignedWithTheKey_AtTheCallersTime()
    {
        var update = Build();

        var tsig = update.TSigOptions;
        Assert.NotNull(tsig);
        Assert.Equal(Key.Name, tsig.Name);
        Assert.Equal(TSigAlgorithm.Sha256, tsig.Algorithm);
        Assert.Equal(Key.Secret, tsig.KeyData);
        Assert.Equal(Now.UtcDateTime, tsig.TimeSigned);
        Assert.Equal(TimeSpan.FromSeconds(300), tsig.Fudge);
        Assert.Equal(4242, update.TransactionID);
        Assert.Equal(4242, tsig.OriginalID);
    }

    [Fact]
    public void TheKey_PrintsItsNameAndAlgorithm_NotItsSecret() => Assert.Equal("cdn-key. (Sha256)", Key.ToString());
}
