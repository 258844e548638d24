using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Answering;

namespace CdnPlatform.Dns.Tests;

public sealed class AuthoritativeAnswererTests
{
    private readonly AuthoritativeAnswerer _answerer = new(TestZone.Catalog());

    private DnsMessage Ask(string name, RecordType type, bool edns = false)
    {
        var query = new DnsMessage { IsQuery = true, OperationCode = OperationCode.Query, TransactionID = 4711 };
        query.Questions.Add(new DnsQuestion(DomainName.Parse(name), type, RecordClass.INet));
        if (edns)
        {
            query.IsEDnsEnabled = true;
            query.EDnsOptions = new OptRecord { UdpPayloadSize = 4096 };
        }
        return _answerer.Answer(query);
    }

    [Fact]
    public void AName_WithRecordsOfTheType_IsAnsweredAuthoritatively()
    {
        var response = Ask("origin.shop.test", RecordType.A);

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.True(response.IsAuthoritiveAnswer);
        Assert.False(response.IsRecursionAllowed);
        Assert.Equal(4711, response.TransactionID);
        Assert.Equal(["127.0.21.1", "127.0.21.2"], response.AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()));
        Assert.All(response.AnswerRecords, r => Assert.Equal(5, r.TimeToLive));
        Assert.Empty(response.AuthorityRecords);
    }

    [Theory]
    [InlineData("ORIGIN.Shop.TEST")]
    [InlineData("Origin.shop.test")]
    public void Names_AreCaseInsensitive(string name) =>
        Assert.Equal(2, Ask(name, RecordType.A).AnswerRecords.Count);

    [Theory]
    [InlineData("origin.shop.test", RecordType.Aaaa, 1)]
    [InlineData("shop.test", RecordType.Soa, 1)]
    [InlineData("shop.test", RecordType.Ns, 1)]
    [InlineData("shop.test", RecordType.Txt, 1)]
    [InlineData("origin.shop.test", RecordType.Any, 3)]
    public void EachRecordType_IsAnswered(string name, RecordType type, int count) =>
        Assert.Equal(count, Ask(name, type).AnswerRecords.Count);

    [Fact]
    public void NoData_IsNoErrorWithTheSoaInAuthority_ItsTtlTheNegativeTtl()
    {
        var response = Ask("www.shop.test", RecordType.Aaaa);

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.True(response.IsAuthoritiveAnswer);
        Assert.Empty(response.AnswerRecords);
        var soa = Assert.IsType<SoaRecord>(Assert.Single(response.AuthorityRecords));
        Assert.Equal(TestZone.NegativeTtl, soa.TimeToLive);
    }

    [Fact]
    public void AMissingName_IsNxDomainWithTheSoaInAuthority()
    {
        var response = Ask("nope.shop.test", RecordType.A);

        Assert.Equal(ReturnCode.NxDomain, response.ReturnCode);
        Assert.True(response.IsAuthoritiveAnswer);
        Assert.IsType<SoaRecord>(Assert.Single(response.AuthorityRecords));
    }

    [Fact]
    public void AnEmptyNonTerminal_IsNoDataNotNxDomain()
    {
        var response = Ask("b.shop.test", RecordType.A);

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.Empty(response.AnswerRecords);
    }

    [Fact]
    public void ACname_IsFollowedInsideTheZone()
    {
        var response = Ask("shop-alias.shop.test", RecordType.A);

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.IsType<CNameRecord>(response.AnswerRecords[0]);
        Assert.Equal(IPAddress.Parse("127.0.10.1"), Assert.IsType<ARecord>(response.AnswerRecords[1]).Address);
    }

    [Fact]
    public void ACnameOutOfTheZone_IsAnsweredAlone_ForTheResolverToFollow()
    {
        var response = Ask("elsewhere.shop.test", RecordType.A);

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.IsType<CNameRecord>(Assert.Single(response.AnswerRecords));
    }

    [Fact]
    public void ACnameAskedFor_IsNotFollowed()
    {
        var response = Ask("shop-alias.shop.test", RecordType.CName);

        Assert.IsType<CNameRecord>(Assert.Single(response.AnswerRecords));
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("shop.test.evil")]
    [InlineData("test")]
    public void NamesOutsideEveryZone_AreRefused(string name)
    {
        var response = Ask(name, RecordType.A);

        Assert.Equal(ReturnCode.Refused, response.ReturnCode);
        Assert.False(response.IsAuthoritiveAnswer);
        Assert.Empty(response.AnswerRecords);
    }

    [Fact]
    public void EdnsInTheQuery_GetsEdnsInTheAnswer_Offering1232Bytes()
    {
        var response = Ask("origin.shop.test", RecordType.A, edns: true);

        Assert.True(response.IsEDnsEnabled);
        Assert.Equal(1232, response.EDnsOptions!.UdpPayloadSize);
        Assert.False(Ask("origin.shop.test", RecordType.A).IsEDnsEnabled);
    }

    [Fact]
    public void TwoQuestions_AreAFormatError()
    {
        var query = new DnsMessage { IsQuery = true, OperationCode = OperationCode.Query };
        query.Questions.Add(new DnsQuestion(DomainName.Parse("origin.shop.test"), RecordType.A, RecordClass.INet));
        query.Questions.Add(new DnsQuestion(DomainName.Parse("www.shop.test"), RecordType.A, RecordClass.INet));

        Assert.Equal(ReturnCode.FormatError, _answerer.Answer(query).ReturnCode);
    }

    [Fact]
    public void AnotherOpcode_IsNotImplemented()
    {
        var query = new DnsMessage { IsQuery = true, OperationCode = OperationCode.Status };
        query.Questions.Add(new DnsQuestion(DomainName.Parse("origin.shop.test"), RecordType.A, RecordClass.INet));

        Assert.Equal(ReturnCode.NotImplemented, _answerer.Answer(query).ReturnCode);
    }
}

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
