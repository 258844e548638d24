using System.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Answering;

namespace CdnPlatform.Dns.Tests;

/// <summary>The rules of RFC 7871 §6 for a query's client subnet option, on the option's bytes as sent.</summary>
public sealed class ClientSubnetTests
{
    [Theory]
    [InlineData(1, 24, 0, "c63364", ClientSubnetFault.None)]
    [InlineData(1, 32, 0, "c0000201", ClientSubnetFault.None)]
    [InlineData(1, 0, 0, "", ClientSubnetFault.None)]
    [InlineData(2, 56, 0, "20010db8000b00", ClientSubnetFault.None)]
    [InlineData(2, 128, 0, "20010db8000b00000000000000000001", ClientSubnetFault.None)]
    // FAMILY 0 with no address: a stub's "do not use my address" (RFC 7871 §7.1.2).
    [InlineData(0, 0, 0, "", ClientSubnetFault.None)]
    [InlineData(0, 8, 0, "0a", ClientSubnetFault.UnknownFamily)]
    [InlineData(3, 24, 0, "c63364", ClientSubnetFault.UnknownFamily)]
    [InlineData(1, 33, 0, "c633640100", ClientSubnetFault.PrefixTooLong)]
    [InlineData(2, 129, 0, "20010db8000b0000000000000000000100", ClientSubnetFault.PrefixTooLong)]
    [InlineData(1, 24, 0, "c6336400", ClientSubnetFault.AddressLength)]
    [InlineData(1, 24, 0, "c633", ClientSubnetFault.AddressLength)]
    [InlineData(1, 0, 0, "00", ClientSubnetFault.AddressLength)]
    // 100 = 0110 0100: bit 22 set, bits 21 and 24 clear.
    [InlineData(1, 20, 0, "c63364", ClientSubnetFault.BitsBeyondPrefix)]
    [InlineData(1, 22, 0, "c63364", ClientSubnetFault.None)]
    [InlineData(2, 33, 0, "20010db880", ClientSubnetFault.None)]
    [InlineData(2, 33, 0, "20010db8c0", ClientSubnetFault.BitsBeyondPrefix)]
    [InlineData(1, 24, 24, "c63364", ClientSubnetFault.ScopeInQuery)]
    public void TheOptionAsSent_IsJudged(ushort family, byte source, byte scope, string address, ClientSubnetFault fault) =>
        Assert.Equal(fault, ClientSubnet.Check(RawQuery.ClientSubnet(family, source, scope, Convert.FromHexString(address)).AsSpan(4)));

    [Theory]
    [InlineData("")]
    [InlineData("0001")]
    [InlineData("000118")]
    public void AnOptionShorterThanItsFixedFields_IsTruncated(string data) =>
        Assert.Equal(ClientSubnetFault.Truncated, ClientSubnet.Check(Convert.FromHexString(data)));

    [Theory]
    [InlineData(24, "198.51.100.0", ClientSubnetFault.None)]
    [InlineData(24, "198.51.100.7", ClientSubnetFault.BitsBeyondPrefix)]
    [InlineData(33, "198.51.100.7", ClientSubnetFault.PrefixTooLong)]
    [InlineData(48, "2001:db8:b::", ClientSubnetFault.None)]
    [InlineData(48, "2001:db8:b::1", ClientSubnetFault.BitsBeyondPrefix)]
    public void TheOptionAsParsed_IsJudgedTheSameWay(byte source, string address, ClientSubnetFault fault) =>
        Assert.Equal(fault, ClientSubnet.Check(new ClientSubnetOption(source, IPAddress.Parse(address))));

    [Fact]
    public void SourcePrefixZero_GivesNoAddressToAnswerFor()
    {
        Assert.Null(ClientSubnet.AddressOf(new ClientSubnetOption(0, IPAddress.Any)));
        Assert.Equal(IPAddress.Parse("198.51.100.0"), ClientSubnet.AddressOf(new ClientSubnetOption(24, IPAddress.Parse("198.51.100.0"))));
    }
}
