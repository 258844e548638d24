using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Answering;
using CdnPlatform.Dns.Hosting;

namespace CdnPlatform.Dns.Tests;

/// <summary>The client subnet option found on the wire, before ARSoft's parser, and the FORMERR a malformed one gets.</summary>
public sealed class QueryPacketTests
{
    private static readonly byte[] Cookie = [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8];

    [Fact]
    public void AQueryWithoutEdnsOrWithoutTheOption_HasNoFault()
    {
        Assert.Equal(ClientSubnetFault.None, QueryPacket.ClientSubnetFaultOf(RawQuery.Build("www.shop.test")));
        Assert.Equal(ClientSubnetFault.None, QueryPacket.ClientSubnetFaultOf(RawQuery.WithEdns("www.shop.test", Cookie)));
    }

    [Fact]
    public void TheOption_IsFoundAmongOthers()
    {
        var query = RawQuery.WithEdns("www.shop.test", Cookie, RawQuery.ClientSubnet(3, 24, 0, 198, 51, 100));

        Assert.Equal(ClientSubnetFault.UnknownFamily, QueryPacket.ClientSubnetFaultOf(query));
    }

    [Fact]
    public void TheOptionTwice_IsRepeated() =>
        Assert.Equal(ClientSubnetFault.Repeated, QueryPacket.ClientSubnetFaultOf(RawQuery.WithEdns("www.shop.test",
            RawQuery.ClientSubnet(1, 24, 0, 198, 51, 100), RawQuery.ClientSubnet(1, 24, 0, 192, 0, 2))));

    [Fact]
    public void AnOptionRunningPastTheRecord_IsTruncated()
    {
        var query = RawQuery.WithEdns("www.shop.test", RawQuery.ClientSubnet(1, 24, 0, 198, 51, 100));
        // Two octets off the end, and off the OPT record's length (the octet before its 11 of data): the record
        // still fits the packet, but the option in it says 7 octets of data and has 5.
        var cut = query[..^2];
        cut[^10] -= 2;

        Assert.Equal(ClientSubnetFault.Truncated, QueryPacket.ClientSubnetFaultOf(cut));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(20)]
    public void APacketThatCannotBeWalked_IsLeftToTheParser(int length)
    {
        var query = RawQuery.WithEdns("www.shop.test", RawQuery.ClientSubnet(3, 24, 0, 198, 51, 100));

        Assert.Equal(ClientSubnetFault.None, QueryPacket.ClientSubnetFaultOf(query[..length]));
    }

    [Fact]
    public void TheFormatError_CarriesTheIdOpcodeRdAndQuestion_AndOptWithoutTheOption()
    {
        var query = RawQuery.WithEdns("www.shop.test", RawQuery.ClientSubnet(1, 33, 0, 198, 51, 100, 1, 0));
        query[2] |= 0x01;

        var package = QueryPacket.FormatError(query, 1232);
        var response = DnsMessage.Parse(package[2..]);

        Assert.Equal(package.Length - 2, (package[0] << 8) | package[1]);
        Assert.Equal(0x4711, response.TransactionID);
        Assert.False(response.IsQuery);
        Assert.Equal(ReturnCode.FormatError, response.ReturnCode);
        Assert.True(response.IsRecursionDesired);
        Assert.Equal("www.shop.test.", Assert.Single(response.Questions).Name.ToString());
        Assert.True(response.IsEDnsEnabled);
        Assert.Equal(1232, response.EDnsOptions!.UdpPayloadSize);
        Assert.Empty(response.EDnsOptions.Options);
        Assert.Empty(response.AnswerRecords);
    }

    [Fact]
    public void AQuestionWithACompressionPointer_IsLeftOut()
    {
        var query = RawQuery.WithEdns("www.shop.test", RawQuery.ClientSubnet(3, 24, 0, 198, 51, 100));
        query[12] = 0xC0;
        query[13] = 12;

        var response = DnsMessage.Parse(QueryPacket.FormatError(query, 1232)[2..]);

        Assert.Equal(ReturnCode.FormatError, response.ReturnCode);
        Assert.Empty(response.Questions);
    }
}
