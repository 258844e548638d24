using System.Net;
using System.Text.Json;
using CdnPlatform.Control.Traffic;
using CdnPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Control.Tests.Dashboard;

/// <summary>
/// <c>GET /v1/pops</c> over a real socket, the edges' <c>/healthz</c> on loopback sockets of their own and the clock
/// moved by the test: each POP's rate and hit ratio from the change of its counters between two polls, and "no data"
/// (with the reason) for an edge that reports none.
/// </summary>
public sealed class PopsApiTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private TrafficEdge _ams = null!;
    private TrafficEdge _nyc = null!;
    private OpsControlPlane _control = null!;

    public async Task InitializeAsync()
    {
        _ams = await TrafficEdge.StartAsync("127.0.32.1");
        _nyc = await TrafficEdge.StartAsync("127.0.32.2");
        _ams.Counters = new TrafficCounters(1000, 600);
        _control = await OpsControlPlane.StartAsync([("ams", _ams.Url.ToString()), ("nyc", _nyc.Url.ToString())],
            ["--Control:Traffic:PollMilliseconds", "2000"], _clock);
    }

    public async Task DisposeAsync()
    {
        await _control.DisposeAsync();
        await _ams.DisposeAsync();
        await _nyc.DisposeAsync();
    }

    private PopTrafficMonitor Monitor => _control.App.Services.GetRequiredService<PopTrafficMonitor>();

    private Task PolledAsync(Func<IReadOnlyList<PopTrafficStatus>, bool> condition, string what) =>
        Eventually.TrueAsync(() => condition(Monitor.Pops), () => $"{what}: {string.Join(", ", Monitor.Pops)}");

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(OpsControlPlane.BlogPurgeKey, HttpStatusCode.Forbidden)]
    public async Task WithoutAnOpsKey_IsRefused(string? key, HttpStatusCode status)
    {
        using var response = await _control.GetAsync("/v1/pops", key);

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task RateAndHitRatio_AreTheCountersChangeBetweenTwoPolls_AndAnEdgeWithoutCountersHasNoData()
    {
        // The first round runs at start-up, before any tick.
        await PolledAsync(pops => pops.All(p => p.PolledAt is not null), "the first round");
        var first = await _control.GetJsonAsync("/v1/pops");
        _ams.Counters = new TrafficCounters(1300, 825);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await PolledAsync(pops => pops[0].Counters?.Requests == 1300 && pops[1].PolledAt > first.GetProperty("pops")[1].GetProperty("polledAt").GetDateTimeOffset(),
            "the second round");
        var second = await _control.GetJsonAsync("/v1/pops");

        Assert.Equal(2000, second.GetProperty("pollMilliseconds").GetInt32());
        var ams = second.GetProperty("pops")[0];
        var nyc = second.GetProperty("pops")[1];
        Assert.Equal(JsonValueKind.Null, first.GetProperty("pops")[0].GetProperty("traffic").ValueKind);
        Assert.Contains("first reading", first.GetProperty("pops")[0].GetProperty("noTraffic").GetString());
        Assert.Equal("ams", ams.GetProperty("name").GetString());
        Assert.Equal("200", ams.GetProperty("lastPoll").GetString());
        Assert.Equal(1300, ams.GetProperty("requestsSinceStart").GetInt64());
        Assert.Equal(825, ams.GetProperty("hitsSinceStart").GetInt64());
        var traffic = ams.GetProperty("traffic");
        Assert.Equal(150.0, traffic.GetProperty("requestsPerSecond").GetDouble(), 9);
        Assert.Equal(0.75, traffic.GetProperty("hitRatio").GetDouble(), 9);
        Assert.Equal(300, traffic.GetProperty("requests").GetInt64());
        Assert.Equal(225, traffic.GetProperty("hits").GetInt64());
        Assert.Equal(2.0, traffic.GetProperty("seconds").GetDouble(), 9);
        Assert.Equal(JsonValueKind.Null, ams.GetProperty("noTraffic").ValueKind);
        Assert.Equal("200", nyc.GetProperty("lastPoll").GetString());
        Assert.Equal(JsonValueKind.Null, nyc.GetProperty("traffic").ValueKind);
        Assert.Equal(JsonValueKind.Null, nyc.GetProperty("requestsSinceStart").ValueKind);
        Assert.Contains("no traffic counters", nyc.GetProperty("noTraffic").GetString());
    }

    [Fact]
    public async Task AnEdgeThatStopsAnswering_HasNoData_UntilItAnswersAgain()
    {
        await PolledAsync(pops => pops.All(p => p.PolledAt is not null), "the first round");
        await _ams.DisposeAsync();

        _clock.Advance(TimeSpan.FromSeconds(2));
        await PolledAsync(pops => pops[0].LastPoll != "200", "the poll of the stopped edge");
        var pops = await _control.GetJsonAsync("/v1/pops");

        var ams = pops.GetProperty("pops")[0];
        Assert.Equal(JsonValueKind.Null, ams.GetProperty("traffic").ValueKind);
        Assert.Contains("did not answer", ams.GetProperty("noTraffic").GetString());
        Assert.Contains("HttpRequestException", ams.GetProperty("lastPoll").GetString());
    }

    [Fact]
    public async Task Status_GivesEachEdgesHealthAsThePollLastReadIt_WithoutProbingItAgain()
    {
        await PolledAsync(pops => pops.All(p => p.LastPoll == "200"), "the first round");
        var firstRound = _clock.GetUtcNow();
        // Gone since the poll read it: a probe now would find it down; the clock has not moved, so the reading is recent.
        await _ams.DisposeAsync();

        var before = await _control.GetJsonAsync("/v1/status");

        var ams = before.GetProperty("edges")[0];
        Assert.Equal("up", ams.GetProperty("health").GetString());
        Assert.Equal(firstRound, ams.GetProperty("checkedAt").GetDateTimeOffset());

        _clock.Advance(TimeSpan.FromSeconds(2));
        await PolledAsync(pops => pops[0].LastPoll != "200", "the poll of the stopped edge");
        var after = (await _control.GetJsonAsync("/v1/status")).GetProperty("edges");

        Assert.StartsWith("down (HttpRequestException", after[0].GetProperty("health").GetString());
        Assert.Equal(_clock.GetUtcNow(), after[0].GetProperty("checkedAt").GetDateTimeOffset());
        Assert.Equal("up", after[1].GetProperty("health").GetString());
    }

    [Fact]
    public async Task Status_WithThePollOff_ProbesEachEdgeNow()
    {
        await using var control = await OpsControlPlane.StartAsync([("ams", _ams.Url.ToString()), ("nyc", _nyc.Url.ToString())],
            ["--Control:Traffic:PollMilliseconds", "0"], _clock);
        Assert.Equal("up", (await control.GetJsonAsync("/v1/status")).GetProperty("edges")[0].GetProperty("health").GetString());

        await _ams.DisposeAsync();
        var edges = (await control.GetJsonAsync("/v1/status")).GetProperty("edges");

        Assert.StartsWith("down (HttpRequestException", edges[0].GetProperty("health").GetString());
        Assert.Equal(_clock.GetUtcNow(), edges[0].GetProperty("checkedAt").GetDateTimeOffset());
        Assert.Equal("up", edges[1].GetProperty("health").GetString());
    }
}
