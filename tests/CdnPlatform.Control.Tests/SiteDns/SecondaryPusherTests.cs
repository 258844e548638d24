using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using ARSoft.Tools.Net.Dns.DynamicUpdate;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Failover;
using CdnPlatform.Control.SiteDns;
using CdnPlatform.Control.SiteDns.Secondaries;
using CdnPlatform.Dns.Updating;
using CdnPlatform.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Control.Tests.SiteDns;

/// <summary>
/// The pusher over the real <see cref="SiteDnsService"/>, with the network scripted and the clock moved by the
/// test: what is pushed when, what is retried after how long, and what a burst of changes becomes.
/// </summary>
public sealed class SecondaryPusherTests : IAsyncLifetime
{
    private static readonly ControlDnsSecondaryOptions Bind = new()
    {
        Server = "192.0.2.53", Zone = "shop.test", KeyName = "cdn-key", KeySecret = Convert.ToBase64String(new byte[32]),
    };

    private readonly TimerCountingTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedUpdateSender _sender = new();
    private SiteDnsService _dns = null!;
    private SecondaryPusher _pusher = null!;

    private static ControlOptions Options(params ControlDnsSecondaryOptions[] secondaries) => ControlDnsOptionsTests.WithDns with
    {
        Datacenters =
        [
            .. ControlDnsOptionsTests.WithDns.Datacenters,
            new ControlDatacenterOptions { Name = "dr", Gateways = ["http://127.0.22.1:8080"], Nodes = ["dr-1"] },
        ],
        Dns = new ControlDnsOptions { Port = FreePort.OnLoopback(), Secondaries = [.. secondaries] },
    };

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync(params ControlDnsSecondaryOptions[] secondaries)
    {
        var options = Options(secondaries);
        Assert.Empty(options.Validate());
        _dns = new SiteDnsService(options, new InMemoryFailoverStateStore(), _clock, NullLogger<SiteDnsService>.Instance);
        await _dns.StartAsync(CancellationToken.None);
        _pusher = new SecondaryPusher(options, _dns, _sender, _clock, NullLogger<SecondaryPusher>.Instance);
        await _pusher.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _pusher.StopAsync(CancellationToken.None);
        _pusher.Dispose();
        await _dns.StopAsync(CancellationToken.None);
    }

    private SecondaryState State => Assert.Single(_pusher.States);

    private static IReadOnlyList<string> Origin(DnsUpdateMessage update) =>
        [.. update.Updates.OfType<AddRecordUpdate>().Where(u => u.Record.Name.Equals(DomainName.Parse("origin.shop.test")))
            .Select(u => ((ARecord)u.Record).Address.ToString())];

    [Fact]
    public async Task AtStartUp_TheZonesServedArePushed_AndTheSecondaryIsInSync()
    {
        await StartAsync(Bind);

        await Eventually.TrueAsync(() => State.Status == SecondaryState.InSync, () => $"state: {State}");
        var (server, update) = Assert.Single(_sender.Sent);
        Assert.Equal(IPEndPoint.Parse("192.0.2.53:53"), server);
        Assert.Equal(["127.0.21.1"], Origin(update));
        Assert.Equal(_dns.Current!.Serial, State.AckedSerial);
        Assert.Equal(_clock.GetUtcNow(), State.AckedAt);
        Assert.Equal(("192.0.2.53:53", "shop.test.", "cdn-key."), (State.Server, State.Zone, State.KeyName));
    }

    [Fact]
    public async Task ARefusedPush_IsRetriedWithGrowingBackoff_UntilAcknowledged()
    {
        var answers = new Queue<UpdateOutcome>([
            new UpdateOutcome(UpdateVerdict.Rejected, "NOTAUTH (TSIG BADSIG)"),
            new UpdateOutcome(UpdateVerdict.NoAnswer, "no answer within 2 s"),
            new UpdateOutcome(UpdateVerdict.Acknowledged, "NOERROR"),
        ]);
        _sender.Answer = _ => answers.Dequeue();
        await StartAsync(Bind);

        await Eventually.TrueAsync(() => State.Attempts == 1 && _clock.PendingTimers == 1, () => $"state: {State}");
        Assert.Equal((SecondaryState.Retrying, "NOTAUTH (TSIG BADSIG)"), (State.Status, State.LastError));
        Assert.InRange(State.NextRetry!.Value - _clock.GetUtcNow(), SecondaryLink.Backoff.After(1, 0), SecondaryLink.Backoff.After(1, 1));
        Assert.Null(State.AckedSerial);

        _clock.Advance(SecondaryLink.Backoff.After(1, 1));
        await Eventually.TrueAsync(() => State.Attempts == 2 && _clock.PendingTimers == 1, () => $"state: {State}");
        Assert.Equal("no answer within 2 s", State.LastError);
        Assert.InRange(State.NextRetry!.Value - _clock.GetUtcNow(), SecondaryLink.Backoff.After(2, 0), SecondaryLink.Backoff.After(2, 1));

        _clock.Advance(SecondaryLink.Backoff.After(2, 1));
        await Eventually.TrueAsync(() => State.Status == SecondaryState.InSync, () => $"state: {State}");
        Assert.Equal((0, null, null), (State.Attempts, State.LastError, State.NextRetry));
        Assert.Equal(3, _sender.Sent.Count);
    }

    [Fact]
    public async Task ChangesWhileAPushIsOut_AreCoalesced_OnlyTheNewestIsPushedNext()
    {
        _sender.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartAsync(Bind);
        await Eventually.TrueAsync(() => _sender.Sent.Count == 1, () => $"sent: {_sender.Sent.Count}");

        _dns.SetActiveDatacenter("dr");
        _dns.SetActiveDatacenter("primary");
        _dns.SetActiveDatacenter("dr");
        var newest = _dns.Current!.Serial;
        Assert.Equal((SecondaryState.Pushing, newest), (State.Status, State.PublishedSerial));
        _sender.Hold.SetResult();

        await Eventually.TrueAsync(() => State.AckedSerial == newest, () => $"state: {State}");
        Assert.Equal(2, _sender.Sent.Count);
        Assert.Equal(["127.0.22.1"], Origin(_sender.Sent[1].Update));
        Assert.Equal(SecondaryState.InSync, State.Status);
    }

    [Fact]
    public async Task AChangeAfterTheAcknowledgement_IsPushed()
    {
        await StartAsync(Bind);
        await Eventually.TrueAsync(() => State.Status == SecondaryState.InSync, () => $"state: {State}");

        _dns.SetActiveDatacenter("dr");

        await Eventually.TrueAsync(() => State.AckedSerial == _dns.Current!.Serial, () => $"state: {State}");
        Assert.Equal(["127.0.22.1"], Origin(_sender.Sent[^1].Update));
    }

    [Fact]
    public async Task AServerThatIsDown_HoldsUpNoOther()
    {
        var down = Bind with { Server = "192.0.2.54" };
        _sender.Answer = server => server.Address.Equals(IPAddress.Parse("192.0.2.54"))
            ? new UpdateOutcome(UpdateVerdict.NoAnswer, "no answer within 2 s")
            : new UpdateOutcome(UpdateVerdict.Acknowledged, "NOERROR");
        await StartAsync(Bind, down);

        await Eventually.TrueAsync(() => _pusher.States[0].Status == SecondaryState.InSync && _pusher.States[1].Attempts == 1,
            () => $"states: {string.Join("; ", _pusher.States)}");
        _dns.SetActiveDatacenter("dr");

        await Eventually.TrueAsync(() => _pusher.States[0].AckedSerial == _dns.Current!.Serial, () => $"states: {string.Join("; ", _pusher.States)}");
        Assert.Equal(SecondaryState.Retrying, _pusher.States[1].Status);
        Assert.Null(_pusher.States[1].AckedSerial);
    }
}
