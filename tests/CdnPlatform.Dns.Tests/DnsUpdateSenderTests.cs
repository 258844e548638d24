using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Updating;
using CdnPlatform.Dns.Zones;
using CdnPlatform.Testing;

namespace CdnPlatform.Dns.Tests;

/// <summary>Signed updates against a real BIND 9 with <c>allow-update { key "cdn-key"; }</c>, then dig against BIND.</summary>
public sealed class DnsUpdateSenderTests(BindServer bind) : IClassFixture<BindServer>
{
    private readonly DnsUpdateSender _sender = new();

    private TsigKey Key(string? secret = null, string name = BindServer.KeyName) =>
        new(DomainName.Parse(name), TSigAlgorithm.Sha256, Convert.FromBase64String(secret ?? bind.KeySecret));

    private IPEndPoint Server => IPEndPoint.Parse(bind.Server);

    private static DnsZone Zone(params string[] gateways) => SiteZone.Build("shop.test", [.. gateways.Select(IPAddress.Parse)],
        [IPAddress.Parse("127.0.10.1")], IPAddress.Loopback, serial: 1);

    private Task<UpdateOutcome> SendAsync(DnsZone zone, TsigKey key, DateTimeOffset? signedAt = null, IPEndPoint? server = null) =>
        _sender.SendAsync(server ?? Server, ZoneUpdate.Build(zone, [], key, signedAt ?? DateTimeOffset.UtcNow, 4242), CancellationToken.None);

    [Fact]
    public async Task SignedUpdate_IsAcknowledged_AndBindServesTheRecords()
    {
        var outcome = await SendAsync(Zone("127.0.21.1", "127.0.21.2"), Key());

        Assert.Equal(new UpdateOutcome(UpdateVerdict.Acknowledged, "NOERROR"), outcome);
        Assert.Equal(["127.0.21.1", "127.0.21.2"], await bind.AddressesAsync("origin.shop.test"));
        Assert.Equal(["127.0.10.1"], await bind.AddressesAsync("www.shop.test"));
    }

    [Fact]
    public async Task ASecondUpdate_ReplacesTheRecords_NotAddsToThem()
    {
        Assert.True((await SendAsync(Zone("127.0.21.1", "127.0.21.2"), Key())).IsAcknowledged);
        Assert.True((await SendAsync(Zone("127.0.22.1"), Key())).IsAcknowledged);

        Assert.Equal(["127.0.22.1"], await bind.AddressesAsync("origin.shop.test"));
        var ttl = Assert.Single((await bind.AskAsync("origin.shop.test", "A")).Section("ANSWER"))[1];
        Assert.Equal(SiteZone.DefaultOriginTtl.ToString(System.Globalization.CultureInfo.InvariantCulture), ttl);
    }

    [Fact]
    public async Task WrongSecret_IsRejected_NotAuthBadSig_AndChangesNothing()
    {
        Assert.True((await SendAsync(Zone("127.0.21.9"), Key())).IsAcknowledged);

        var outcome = await SendAsync(Zone("127.0.66.6"), Key(Convert.ToBase64String(new byte[32])));

        Assert.Equal(new UpdateOutcome(UpdateVerdict.Rejected, "NOTAUTH (TSIG BADSIG)"), outcome);
        Assert.Equal(["127.0.21.9"], await bind.AddressesAsync("origin.shop.test"));
    }

    [Fact]
    public async Task UnknownKeyName_IsRejected_BadKey() =>
        Assert.Equal("NOTAUTH (TSIG BADKEY)", (await SendAsync(Zone("127.0.66.6"), Key(name: "other-key"))).Detail);

    [Fact]
    public async Task AClockOffByMoreThanTheFudge_IsRejected_BadTime() =>
        Assert.Equal("NOTAUTH (TSIG BADTIME)", (await SendAsync(Zone("127.0.66.6"), Key(), DateTimeOffset.UtcNow.AddHours(-1))).Detail);

    [Fact]
    public async Task NothingListening_IsNoAnswer()
    {
        var closed = new IPEndPoint(IPAddress.Loopback, FreePort.OnLoopback());

        Assert.Equal(UpdateVerdict.NoAnswer, (await SendAsync(Zone("127.0.66.6"), Key(), server: closed)).Verdict);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(BindServer.KeyName)]
    public async Task NoErrorNotSignedWithTheKey_IsNotTakenForAnAcknowledgement(string? forgedKeyName)
    {
        using var forger = new ScriptedAnswerServer(forgedKeyName);

        var outcome = await SendAsync(Zone("127.0.66.6"), Key(), server: forger.Endpoint);

        Assert.Equal(UpdateVerdict.Unverified, outcome.Verdict);
    }
}
