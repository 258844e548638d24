using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Steering;

namespace CdnPlatform.Dns.Tests;

public sealed class PopSteeringTests
{
    private static readonly DomainName Www = DomainName.Parse("www.shop.test");

    private static PopSteering Steering(params string[] down) => new(Www, 30, TestZone.Pops(down), TestZone.Regions);

    private static string[] Addresses(PopChoice choice) => [.. choice.Records.Select(r => r switch
    {
        ARecord a => a.Address.ToString(),
        AaaaRecord aaaa => aaaa.Address.ToString(),
        _ => throw new InvalidOperationException(r.ToString()),
    })];

    [Theory]
    [InlineData("127.0.0.1", "europe", new[] { TestZone.Ams }, 8)]
    [InlineData("198.51.100.0", "america", new[] { TestZone.Nyc, TestZone.Ams }, 24)]
    [InlineData("2001:db8:b::", "america", new[] { TestZone.Nyc, TestZone.Ams }, 48)]
    [InlineData("203.0.113.200", "pacific", new[] { TestZone.Nyc }, 25)]
    public void AClientInARegion_GetsItsPops_NearestFirst(string client, string region, string[] pops, int scope)
    {
        var choice = Steering().Choose(IPAddress.Parse(client));

        Assert.Equal(region, choice.Region);
        Assert.Equal(pops, Addresses(choice));
        Assert.Equal(scope, choice.ScopePrefixLength);
        Assert.All(choice.Records, r => Assert.Equal(30, r.TimeToLive));
    }

    [Fact]
    public void AClientInNoRegion_GetsEveryHealthyPop_WithTheScopeWhereNoRegionBegins()
    {
        var choice = Steering("sgp").Choose(IPAddress.Parse("10.0.0.1"));

        Assert.Null(choice.Region);
        Assert.Equal([TestZone.Ams, TestZone.Nyc], Addresses(choice));
        // 10.0.0.0/2 holds no region's network; 0.0.0.0/1 would hold 127.0.0.0/8.
        Assert.Equal(2, choice.ScopePrefixLength);
    }

    [Fact]
    public void AnUnhealthyPop_LeavesItsRegion_TheRestStay() =>
        Assert.Equal([TestZone.Ams], Addresses(Steering("nyc").Choose(IPAddress.Parse("198.51.100.9"))));

    [Fact]
    public void ARegionWithNoHealthyPop_FallsBackToEveryHealthyPop()
    {
        var choice = Steering("sgp").Choose(IPAddress.Parse("203.0.113.9"));

        Assert.Null(choice.Region);
        Assert.Equal([TestZone.Ams, TestZone.Nyc], Addresses(choice));
        Assert.Equal(25, choice.ScopePrefixLength);
    }

    [Fact]
    public void NoPopHealthy_AnswersEveryPop()
    {
        var steering = Steering("ams", "nyc", "sgp");

        Assert.Equal([TestZone.Ams, TestZone.Nyc, TestZone.Sgp], Addresses(steering.Choose(IPAddress.Parse("127.0.0.1"))));
        Assert.Equal(3, steering.Everywhere.Count);
    }

    [Fact]
    public void NoClientAddress_IsEveryHealthyPop_DependingOnNoBits()
    {
        var steering = Steering("nyc");
        var choice = steering.Choose(null);

        Assert.Same(steering.Everywhere, choice.Records);
        Assert.Equal([TestZone.Ams, TestZone.Sgp], Addresses(choice));
        Assert.Equal(0, choice.ScopePrefixLength);
        Assert.Null(choice.Region);
    }

    [Fact]
    public void Ipv6Pops_AreAaaaRecords()
    {
        var steering = new PopSteering(Www, 30, [new Pop("fra", IPAddress.Parse("2001:db8:f::1"), true), new Pop("ams", IPAddress.Parse(TestZone.Ams), true)], []);

        Assert.IsType<AaaaRecord>(steering.Everywhere[0]);
        Assert.IsType<ARecord>(steering.Everywhere[1]);
    }

    [Fact]
    public void ARegionNamingAnUnknownPop_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new PopSteering(Www, 30, TestZone.Pops(), [new PopRegion("moon", [IPNetwork.Parse("10.0.0.0/8")], ["tranquility"])]));
}
