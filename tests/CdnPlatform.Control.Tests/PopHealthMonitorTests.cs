using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Control.SiteDns;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Control.Tests;

/// <summary>
/// The monitor against real edges (test nodes whose <c>/healthz</c> the test sets) on a clock the test moves: a
/// round of probes per interval, a POP out after DownAfter failures in a row and back after UpAfter successes,
/// each change republished with a higher serial.
/// </summary>
public sealed class PopHealthMonitorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-02T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly List<ZonesPublished> _published = [];
    private SiteDnsControlPlane _control = null!;

    public async Task InitializeAsync()
    {
        _control = await SiteDnsControlPlane.StartAsync(["ams", "nyc"],
            ["--Control:Dns:PopHealth:ProbeSeconds", "2", "--Control:Dns:PopHealth:DownAfter", "2", "--Control:Dns:PopHealth:UpAfter", "2"], _clock);
        _control.Dns.Published += published =>
        {
            lock (_published)
            {
                _published.Add(published);
            }
        };
        // The first round runs at start-up, before any tick.
        await RoundAsync(1);
    }

    public async Task DisposeAsync() => await _control.DisposeAsync();

    private int _rounds = 1;

    // The edge that is up throughout counts the rounds: its run of good probes grows by one each.
    private Task RoundAsync(int expected) => Eventually.TrueAsync(
        () => _control.Monitor.Pops[0].Health.SuccessesInARow >= expected,
        () => $"round {expected} of probes did not finish: {string.Join(", ", _control.Monitor.Pops)}");

    private async Task NextRoundAsync()
    {
        _clock.Advance(TimeSpan.FromSeconds(2));
        await RoundAsync(++_rounds);
    }

    private string[] Www() =>
        [.. _control.Dns.Catalog.Find(DomainName.Parse("shop.test"))!.At(DomainName.Parse("www.shop.test")).OfType<ARecord>().Select(a => a.Address.ToString())];

    [Fact]
    public async Task APopFailingTwiceInARow_LeavesWww_AndComesBackAfterTwoGoodProbes()
    {
        var ams = _control.AddressOf("ams");
        var nyc = _control.AddressOf("nyc");
        var serialAtStart = _control.Dns.Current!.Serial;
        _control.Edges[1].HealthStatus = 503;

        await NextRoundAsync();
        var afterOneFailure = Www();
        await NextRoundAsync();
        var afterTwo = Www();
        _control.Edges[1].HealthStatus = 200;
        await NextRoundAsync();
        var afterOneSuccess = Www();
        await NextRoundAsync();
        var afterTwoSuccesses = Www();

        Assert.Equal([ams, nyc], afterOneFailure);
        Assert.Equal([ams], afterTwo);
        Assert.Equal([ams], afterOneSuccess);
        Assert.Equal([ams, nyc], afterTwoSuccesses);
        lock (_published)
        {
            Assert.Equal(2, _published.Count);
            Assert.True(_published[0].Serial > serialAtStart && _published[1].Serial > _published[0].Serial, "each change raises the serial");
        }
        Assert.Equal("200", _control.Monitor.Pops[1].LastProbe);
    }

    [Fact]
    public async Task NoChange_PublishesNothing()
    {
        await NextRoundAsync();
        await NextRoundAsync();

        lock (_published)
        {
            Assert.Empty(_published);
        }
        Assert.Equal(2, Www().Length);
    }

    [Fact]
    public async Task AnEdgeThatStopsListening_IsDown_WithTheConnectionErrorAsItsLastProbe()
    {
        await _control.Edges[0].Host.StopAsync();

        // The stopped edge no longer counts rounds: the other one's failures do.
        for (var failures = 1; failures <= 2; failures++)
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            var expected = failures;
            await Eventually.TrueAsync(() => _control.Monitor.Pops[0].Health.FailuresInARow >= expected, () => string.Join(", ", _control.Monitor.Pops));
        }

        Assert.False(_control.Monitor.Pops[0].Health.Up);
        Assert.StartsWith("HttpRequestException", _control.Monitor.Pops[0].LastProbe);
        Assert.Equal([_control.AddressOf("nyc")], Www());
    }
}
