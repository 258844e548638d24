using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Answering;
using CdnPlatform.Dns.Hosting;
using CdnPlatform.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Dns.Tests;

/// <summary>
/// Queries written byte by byte to the running server, over UDP and TCP: malformed client subnet options as no
/// client library would write them, each of which gets FORMERR (RFC 7871 §7.2.1) where ARSoft alone would misread
/// it or not answer at all, and TCP connections used as RFC 7766 says.
/// </summary>
public sealed class ServerWireTests : IDisposable
{
    private readonly AuthoritativeDnsServer _server;
    private readonly IPEndPoint _endpoint;

    public ServerWireTests()
    {
        _endpoint = new IPEndPoint(IPAddress.Loopback, FreePort.OnLoopback());
        _server = new AuthoritativeDnsServer(_endpoint, new AuthoritativeAnswerer(TestZone.Catalog()), NullLogger.Instance);
        _server.Start();
    }

    public void Dispose() => _server.Dispose();

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "an unknown family", RawQuery.ClientSubnet(3, 24, 0, 198, 51, 100) },
        { "a prefix longer than IPv4", RawQuery.ClientSubnet(1, 33, 0, 198, 51, 100, 1, 0) },
        { "a prefix longer than IPv6", RawQuery.ClientSubnet(2, 129, 0, [.. Enumerable.Repeat((byte)0x20, 17)]) },
        { "an octet too many", RawQuery.ClientSubnet(1, 24, 0, 198, 51, 100, 7) },
        { "an octet too few", RawQuery.ClientSubnet(1, 24, 0, 198, 51) },
        { "bits past the prefix", RawQuery.ClientSubnet(1, 20, 0, 198, 51, 100) },
        { "a scope in the query", RawQuery.ClientSubnet(1, 24, 16, 198, 51, 100) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedOption_GetsFormErr_OverUdp(string why, byte[] option)
    {
        var response = DnsMessage.Parse(await AskUdpAsync(RawQuery.WithEdns("www.shop.test", option)));

        Assert.True(response.ReturnCode == ReturnCode.FormatError, why);
        Assert.Equal(0x4711, response.TransactionID);
        Assert.Equal("www.shop.test.", Assert.Single(response.Questions).Name.ToString());
        Assert.Empty(response.EDnsOptions!.Options);
    }

    [Fact]
    public async Task AMalformedOption_GetsFormErr_OverTcp_AndTheConnectionIsClosed()
    {
        using var client = await ConnectAsync();

        var response = DnsMessage.Parse(await AskAsync(client, RawQuery.WithEdns("www.shop.test", RawQuery.ClientSubnet(1, 33, 0, 198, 51, 100, 1, 0))));

        Assert.Equal(ReturnCode.FormatError, response.ReturnCode);
        Assert.Equal(0x4711, response.TransactionID);
        using var patience = new CancellationTokenSource(Eventually.Patience);
        Assert.Equal(0, await client.GetStream().ReadAsync(new byte[1], patience.Token));
    }

    [Fact]
    public async Task OneTcpConnection_CarriesQueryAfterQuery()
    {
        using var client = await ConnectAsync();

        var first = DnsMessage.Parse(await AskAsync(client, RawQuery.Build("origin.shop.test", transactionId: 1)));
        var second = DnsMessage.Parse(await AskAsync(client, RawQuery.Build("www.shop.test", transactionId: 2)));

        Assert.Equal((1, 2), (first.TransactionID, second.TransactionID));
        Assert.Equal(2, first.AnswerRecords.Count);
        Assert.Equal([TestZone.Ams], second.AnswerRecords.OfType<ARecord>().Select(a => a.Address.ToString()));
    }

    [Fact]
    public async Task AQuerySentAMomentAfterConnecting_IsStillAnswered()
    {
        using var client = await ConnectAsync();
        // The server has accepted by now and waits for the query, as over any real network.
        await Task.Delay(200);

        var response = DnsMessage.Parse(await AskAsync(client, RawQuery.Build("origin.shop.test")));

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
    }

    [Fact]
    public async Task AWellFormedOption_IsAnswered_OverBoth()
    {
        var query = RawQuery.WithEdns("www.shop.test", RawQuery.ClientSubnet(IPNetwork.Parse("198.51.100.0/24")));

        using var client = await ConnectAsync();
        foreach (var answer in new[] { await AskUdpAsync(query), await AskAsync(client, query) })
        {
            var response = DnsMessage.Parse(answer);
            Assert.Equal(ReturnCode.NoError, response.ReturnCode);
            Assert.Equal([TestZone.Nyc, TestZone.Ams], response.AnswerRecords.OfType<ARecord>().Select(a => a.Address.ToString()));
            Assert.Equal(24, Assert.Single(response.EDnsOptions!.Options.OfType<ClientSubnetOption>()).ScopeNetmask);
        }
    }

    // Sent again until answered: a loaded machine may drop a datagram.
    private async Task<byte[]> AskUdpAsync(byte[] query)
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await socket.SendAsync(query, _endpoint);
            using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                return (await socket.ReceiveAsync(patience.Token)).Buffer;
            }
            catch (OperationCanceledException)
            {
            }
        }
        Assert.Fail("no answer over UDP");
        return [];
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(_endpoint);
        return client;
    }

    private static async Task<byte[]> AskAsync(TcpClient client, byte[] query)
    {
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { (byte)(query.Length >> 8), (byte)query.Length }.Concat(query).ToArray());
        using var patience = new CancellationTokenSource(Eventually.Patience);
        var length = new byte[2];
        await stream.ReadExactlyAsync(length, patience.Token);
        var answer = new byte[(length[0] << 8) | length[1]];
        await stream.ReadExactlyAsync(answer, patience.Token);
        return answer;
    }
}
