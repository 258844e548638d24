using System.Net;
using CdnPlatform.Dns.Answering;
using CdnPlatform.Dns.Hosting;
using CdnPlatform.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Dns.Tests;

/// <summary>The server on a real loopback port, UDP and TCP, asked by dig.</summary>
public sealed class DigTests : IDisposable
{
    private readonly AuthoritativeDnsServer _server;
    private readonly int _port = FreePort.OnLoopback();

    public DigTests()
    {
        _server = new AuthoritativeDnsServer(new IPEndPoint(IPAddress.Loopback, _port), new AuthoritativeAnswerer(TestZone.Catalog()), NullLogger.Instance);
        _server.Start();
    }

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public async Task OriginA_IsAnsweredAuthoritatively_OverUdpAndTcp(string transport)
    {
        var dig = await DigAsync(transport, "origin.shop.test", "A");

        Assert.Equal("NOERROR", dig.Status);
        Assert.Contains("aa", dig.Flags);
        Assert.DoesNotContain("ra", dig.Flags);
        var answers = dig.Section("ANSWER");
        Assert.Equal(["127.0.21.1", "127.0.21.2"], answers.Select(a => a[4]).Order());
        Assert.All(answers, a => Assert.Equal("5", a[1]));
    }

    [Fact]
    public async Task EdnsQuery_GetsTheServersPayloadSize()
    {
        var dig = await DigAsync("+edns=0", "origin.shop.test", "A");

        Assert.Contains("udp: 1232", dig.Output);
    }

    [Fact]
    public async Task AMissingName_IsNxDomain_WithTheSoa()
    {
        var dig = await DigAsync("+notcp", "NoPe.Shop.Test", "A");

        Assert.Equal("NXDOMAIN", dig.Status);
        Assert.Contains("aa", dig.Flags);
        var soa = Assert.Single(dig.Section("AUTHORITY"));
        Assert.Equal("SOA", soa[3]);
        Assert.Equal(TestZone.NegativeTtl.ToString(), soa[1]);
    }

    [Fact]
    public async Task ANameOutsideTheZones_IsRefused()
    {
        var dig = await DigAsync("+notcp", "example.com", "A");

        Assert.Equal("REFUSED", dig.Status);
        Assert.Empty(dig.Section("ANSWER"));
    }

    [Fact]
    public async Task AnAnswerTooBigFor512Bytes_IsTruncatedOverUdp()
    {
        var dig = await DigAsync("+bufsize=512", "+ignore", "big.shop.test", "TXT");

        Assert.Contains("tc", dig.Flags);
        Assert.True(dig.Section("ANSWER").Count < 40);
    }

    [Fact]
    public async Task ATruncatedAnswer_IsWholeOverTcp_WhenDigRetries()
    {
        var dig = await DigAsync("+bufsize=512", "big.shop.test", "TXT");

        Assert.Contains("Truncated, retrying in TCP mode", dig.Output);
        Assert.Equal("NOERROR", dig.Status);
        Assert.Equal(40, dig.Section("ANSWER").Count);
    }

    [Fact]
    public async Task WithoutEdns_ASmallAnswerStillFits()
    {
        var dig = await DigAsync("+noedns", "origin.shop.test", "A");

        Assert.Equal("NOERROR", dig.Status);
        Assert.DoesNotContain("tc", dig.Flags);
        Assert.Equal(2, dig.Section("ANSWER").Count);
    }

    [Fact]
    public async Task Www_ForThisMachine_IsItsRegionsPop_WithoutAClientSubnetOption()
    {
        var dig = await DigAsync("+notcp", "www.shop.test", "A");

        Assert.Equal([TestZone.Ams], dig.Section("ANSWER").Select(a => a[4]));
        Assert.Null(dig.ClientSubnet);
    }

    [Theory]
    [InlineData("+notcp", "198.51.100.0/24", new[] { TestZone.Nyc, TestZone.Ams }, "198.51.100.0/24/24")]
    [InlineData("+tcp", "198.51.100.0/24", new[] { TestZone.Nyc, TestZone.Ams }, "198.51.100.0/24/24")]
    [InlineData("+notcp", "2001:db8:b::/48", new[] { TestZone.Nyc, TestZone.Ams }, "2001:db8:b::/48/48")]
    [InlineData("+notcp", "203.0.113.0/24", new[] { TestZone.Sgp }, "203.0.113.0/24/25")]
    [InlineData("+notcp", "10.0.0.0/8", new[] { TestZone.Ams, TestZone.Nyc, TestZone.Sgp }, "10.0.0.0/8/2")]
    // No address at all: every POP, for every client (scope 0), though the query came from Europe's 127.0.0.1.
    [InlineData("+notcp", "0", new[] { TestZone.Ams, TestZone.Nyc, TestZone.Sgp }, "0.0.0.0/0/0")]
    public async Task Www_ForAClientSubnet_IsItsRegionsPops_AndTheOptionComesBackWithItsScope(string transport, string subnet, string[] pops, string echoed)
    {
        var dig = await DigAsync(transport, $"+subnet={subnet}", "www.shop.test", "A");

        Assert.Equal("NOERROR", dig.Status);
        Assert.Equal(pops, dig.Section("ANSWER").Select(a => a[4]));
        Assert.Equal(echoed, dig.ClientSubnet);
    }

    private Task<Dig> DigAsync(params string[] query) => Dig.AskAsync(_port, query);
}
