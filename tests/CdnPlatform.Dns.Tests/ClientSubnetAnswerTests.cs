using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Answering;

namespace CdnPlatform.Dns.Tests;

/// <summary><c>www.</c> answered for the client: by its client subnet option (RFC 7871), else by the query's source.</summary>
public sealed class ClientSubnetAnswerTests
{
    private static DnsMessage Ask(string name, ClientSubnetOption[]? subnets = null, string? source = null, RecordType type = RecordType.A, params string[] down)
    {
        var query = new DnsMessage { IsQuery = true, OperationCode = OperationCode.Query, TransactionID = 7871 };
        query.Questions.Add(new DnsQuestion(DomainName.Parse(name), type, RecordClass.INet));
        if (subnets is not null)
        {
            query.IsEDnsEnabled = true;
            query.EDnsOptions = new OptRecord(4096, subnets);
        }
        return new AuthoritativeAnswerer(TestZone.Catalog(down)).Answer(query, source is null ? null : IPAddress.Parse(source));
    }

    private static ClientSubnetOption[] Subnet(string network)
    {
        var parsed = IPNetwork.Parse(network);
        return [new ClientSubnetOption((byte)parsed.PrefixLength, parsed.BaseAddress)];
    }

    private static string[] Addresses(DnsMessage response) =>
        [.. response.AnswerRecords.OfType<ARecord>().Select(a => a.Address.ToString())];

    private static ClientSubnetOption Echo(DnsMessage response) =>
        Assert.Single(response.EDnsOptions!.Options.OfType<ClientSubnetOption>());

    [Theory]
    [InlineData("198.51.100.0/24", new[] { TestZone.Nyc, TestZone.Ams }, 24)]
    [InlineData("192.0.2.0/24", new[] { TestZone.Ams }, 24)]
    [InlineData("2001:db8:b::/48", new[] { TestZone.Nyc, TestZone.Ams }, 48)]
    // In no region: every POP, and a scope that keeps the answer from being cached for a region's clients.
    [InlineData("198.51.0.0/16", new[] { TestZone.Ams, TestZone.Nyc, TestZone.Sgp }, 18)]
    [InlineData("2001:db8::/32", new[] { TestZone.Ams, TestZone.Nyc, TestZone.Sgp }, 45)]
    // 203.0.113.128/25 is another region: a /24 is not specific enough, and the scope says so by being longer.
    [InlineData("203.0.113.0/24", new[] { TestZone.Sgp }, 25)]
    public void Www_IsAnsweredForTheClientSubnet_NotTheSource(string subnet, string[] pops, int scope)
    {
        var response = Ask("www.shop.test", Subnet(subnet), source: "127.0.0.1");

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.Equal(pops, Addresses(response));
        var echo = Echo(response);
        Assert.Equal(scope, echo.ScopeNetmask);
        Assert.Equal(IPNetwork.Parse(subnet).PrefixLength, echo.SourceNetmask);
        Assert.Equal(IPNetwork.Parse(subnet).BaseAddress, echo.Address);
    }

    [Fact]
    public void WithoutTheOption_WwwIsAnsweredForTheSource_AndNoOptionIsAdded()
    {
        var plain = Ask("www.shop.test", source: "198.51.100.9");
        var edns = Ask("www.shop.test", subnets: [], source: "198.51.100.9");

        Assert.Equal([TestZone.Nyc, TestZone.Ams], Addresses(plain));
        Assert.False(plain.IsEDnsEnabled);
        Assert.Equal([TestZone.Nyc, TestZone.Ams], Addresses(edns));
        Assert.Empty(edns.EDnsOptions!.Options);
    }

    [Fact]
    public void SourcePrefixZero_IsNotSteeredBySource_EveryPopWithScopeZero()
    {
        var response = Ask("www.shop.test", [new ClientSubnetOption(0, IPAddress.Any)], source: "198.51.100.9");

        Assert.Equal([TestZone.Ams, TestZone.Nyc, TestZone.Sgp], Addresses(response));
        Assert.Equal(0, Echo(response).ScopeNetmask);
        Assert.Equal(0, Echo(response).SourceNetmask);
    }

    [Fact]
    public void NoSourceAndNoOption_IsEveryPop() =>
        Assert.Equal([TestZone.Ams, TestZone.Nyc, TestZone.Sgp], Addresses(Ask("www.shop.test")));

    [Fact]
    public void ANameNotSteered_EchoesTheOptionWithScopeZero()
    {
        var response = Ask("origin.shop.test", Subnet("198.51.100.0/24"));

        Assert.Equal(2, response.AnswerRecords.Count);
        Assert.Equal(0, Echo(response).ScopeNetmask);
        Assert.Equal(24, Echo(response).SourceNetmask);
    }

    [Fact]
    public void ACnameToWww_TakesWwwsScope()
    {
        var response = Ask("shop-alias.shop.test", Subnet("198.51.100.0/24"));

        Assert.IsType<CNameRecord>(response.AnswerRecords[0]);
        Assert.Equal([TestZone.Nyc, TestZone.Ams], Addresses(response));
        Assert.Equal(24, Echo(response).ScopeNetmask);
    }

    [Fact]
    public void NoDataAtWww_StillEchoesTheOption()
    {
        var response = Ask("www.shop.test", Subnet("198.51.100.0/24"), type: RecordType.Aaaa);

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.Empty(response.AnswerRecords);
        Assert.Equal(24, Echo(response).ScopeNetmask);
    }

    [Fact]
    public void AnUnhealthyPop_LeavesItsRegionsAnswer() =>
        Assert.Equal([TestZone.Ams], Addresses(Ask("www.shop.test", Subnet("198.51.100.0/24"), down: "nyc")));

    [Fact]
    public void ARegionWithNoHealthyPop_GetsEveryHealthyPop() =>
        Assert.Equal([TestZone.Ams, TestZone.Nyc], Addresses(Ask("www.shop.test", source: "203.0.113.9", down: "sgp")));

    [Fact]
    public void NoPopHealthy_StillAnswersEveryPop() =>
        Assert.Equal([TestZone.Ams, TestZone.Nyc, TestZone.Sgp], Addresses(Ask("www.shop.test", source: "127.0.0.1", down: ["ams", "nyc", "sgp"])));

    public static TheoryData<string, ClientSubnetOption[]> Malformed => new()
    {
        { "bits past the prefix", [new ClientSubnetOption(24, IPAddress.Parse("198.51.100.7"))] },
        { "bits past the prefix, IPv6", [new ClientSubnetOption(32, IPAddress.Parse("2001:db8:b::"))] },
        { "a prefix longer than IPv4", [new ClientSubnetOption(33, IPAddress.Parse("198.51.100.0"))] },
        { "a scope in the query", [new ClientSubnetOption(24, 24, IPAddress.Parse("198.51.100.0"))] },
        { "two options", [new ClientSubnetOption(24, IPAddress.Parse("198.51.100.0")), new ClientSubnetOption(24, IPAddress.Parse("192.0.2.0"))] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void AMalformedOption_IsAFormatError_WithoutTheOption(string why, ClientSubnetOption[] subnets)
    {
        var response = Ask("www.shop.test", subnets, source: "127.0.0.1");

        Assert.True(response.ReturnCode == ReturnCode.FormatError, why);
        Assert.Empty(response.AnswerRecords);
        Assert.True(response.IsEDnsEnabled);
        Assert.Empty(response.EDnsOptions!.Options);
    }
}
