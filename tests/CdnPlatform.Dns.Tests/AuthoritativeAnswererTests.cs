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
