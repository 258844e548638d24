using System.Text.Json;
using CdnPlatform.Control.Traffic;

namespace CdnPlatform.Control.Tests.Dashboard;

/// <summary>A POP's request rate and hit ratio from the change of its cumulative counters between two polls.</summary>
public sealed class PopTrafficTests
{
    [Theory]
    // before (requests, hits), after, seconds → requests/s, hit ratio (null: none), requests and hits in the window
    [InlineData(100, 50, 300, 200, 2.0, 100.0, 0.75, 200, 150)]
    [InlineData(0, 0, 10, 0, 1.0, 10.0, 0.0, 10, 0)]
    [InlineData(0, 0, 10, 10, 0.5, 20.0, 1.0, 10, 10)]
    // A window without requests has a rate of 0 and no ratio, rather than 0 % hits.
    [InlineData(500, 400, 500, 400, 2.0, 0.0, null, 0, 0)]
    // A hit read before its request (the edge reads its counters one after the other) never makes the ratio pass 1.
    [InlineData(10, 5, 20, 16, 2.0, 5.0, 1.0, 10, 10)]
    public void Between_IsTheCountersChange_OverTheWindow(long requestsBefore, long hitsBefore, long requestsAfter, long hitsAfter, double seconds,
        double requestsPerSecond, double? hitRatio, long requests, long hits)
    {
        var traffic = PopTraffic.Between(new(requestsBefore, hitsBefore), new(requestsAfter, hitsAfter), TimeSpan.FromSeconds(seconds));

        Assert.NotNull(traffic);
        Assert.Equal(requestsPerSecond, traffic.RequestsPerSecond, 9);
        Assert.Equal(hitRatio, traffic.HitRatio);
        Assert.Equal(requests, traffic.Requests);
        Assert.Equal(hits, traffic.Hits);
        Assert.Equal(seconds, traffic.Seconds, 9);
    }

    [Theory]
    // The edge restarted between the polls: its counters began again.
    [InlineData(1000, 800, 30, 20, 2.0)]
    [InlineData(1000, 800, 1200, 700, 2.0)]
    // No time between the readings.
    [InlineData(100, 50, 300, 200, 0.0)]
    public void Between_IsNone_WhenTheCountersWentBackOrNoTimePassed(long requestsBefore, long hitsBefore, long requestsAfter, long hitsAfter, double seconds) =>
        Assert.Null(PopTraffic.Between(new(requestsBefore, hitsBefore), new(requestsAfter, hitsAfter), TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Between_IsNone_WhenTheEdgeNamesAnotherRun_EvenIfItsCountersPassedTheOldOnes()
    {
        var before = new TrafficCounters(100, 50, "a1");

        Assert.Null(PopTraffic.Between(before, new TrafficCounters(5_000, 4_000, "b2"), TimeSpan.FromSeconds(2)));
        // An edge updated between the polls: the first reading named no run.
        Assert.Null(PopTraffic.Between(new TrafficCounters(100, 50), new TrafficCounters(5_000, 4_000, "b2"), TimeSpan.FromSeconds(2)));
        Assert.Equal(new PopTraffic(200, 0.5, 400, 200, 2), PopTraffic.Between(before, new TrafficCounters(500, 250, "a1"), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void The_run_is_read_with_the_counters_when_the_edge_names_it()
    {
        using var document = JsonDocument.Parse("""{"traffic":{"run":"9f3c","requests":12,"hits":7}}""");

        Assert.True(TrafficCounters.TryRead(document.RootElement, out var counters));
        Assert.Equal(new TrafficCounters(12, 7, "9f3c"), counters);
    }

    [Theory]
    [InlineData("""{"status":"ok","traffic":{"requests":12,"hits":7}}""", true)]
    [InlineData("""{"status":"ok"}""", false)]
    [InlineData("""{"traffic":null}""", false)]
    [InlineData("""{"traffic":{"requests":12}}""", false)]
    [InlineData("""{"traffic":{"requests":"12","hits":7}}""", false)]
    [InlineData("""{"traffic":{"requests":-1,"hits":0}}""", false)]
    [InlineData("""{"traffic":{"requests":1.5,"hits":0}}""", false)]
    [InlineData("""[1,2]""", false)]
    public void Counters_AreReadFromTheEdgesHealth_OnlyWhenBothAreWholeCounts(string health, bool read)
    {
        using var document = JsonDocument.Parse(health);

        Assert.Equal(read, TrafficCounters.TryRead(document.RootElement, out var counters));
        Assert.Equal(read ? new TrafficCounters(12, 7) : default, counters);
    }

    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void AnEdgeWithoutCounters_HasNoData_AndSaysWhy()
    {
        var pop = PopTrafficStatus.NotPolled("ams", "http://127.0.10.1:8080").Answered("200", At, null, 10, TimeSpan.FromSeconds(2));

        Assert.Null(pop.Traffic);
        Assert.Null(pop.Counters);
        Assert.Equal("200", pop.LastPoll);
        Assert.Contains("no traffic counters", pop.NoTraffic);
    }

    [Fact]
    public void TheFirstReading_HasNoRateYet_TheSecondHas()
    {
        var first = PopTrafficStatus.NotPolled("ams", "http://127.0.10.1:8080").Answered("200", At, new(100, 40), 10, TimeSpan.FromHours(1));
        var second = first.Answered("200", At.AddSeconds(2), new(160, 85), 30, TimeSpan.FromSeconds(2));

        Assert.Null(first.Traffic);
        Assert.Contains("first reading", first.NoTraffic);
        Assert.Equal(new PopTraffic(30, 0.75, 60, 45, 2), second.Traffic);
        Assert.Null(second.NoTraffic);
        Assert.Equal(30, second.CountedAt);
    }

    [Fact]
    public void AMissedPoll_KeepsTheLastCounters_SoTheNextWindowSpansTheGap()
    {
        var before = PopTrafficStatus.NotPolled("ams", "http://127.0.10.1:8080").Answered("200", At, new(100, 40), 10, TimeSpan.Zero);
        var missed = before.Unanswered("no answer within 2000 ms", At.AddSeconds(2));
        var back = missed.Answered("200", At.AddSeconds(4), new(180, 60), 50, TimeSpan.FromSeconds(4));

        Assert.Null(missed.Traffic);
        Assert.Equal("no answer within 2000 ms", missed.LastPoll);
        Assert.Equal(new TrafficCounters(100, 40), missed.Counters);
        Assert.Equal(new PopTraffic(20, 0.25, 80, 20, 4), back.Traffic);
    }

    [Fact]
    public void ARestartedEdge_HasNoDataForOneWindow_ThenFiguresAgain()
    {
        var before = PopTrafficStatus.NotPolled("ams", "http://127.0.10.1:8080").Answered("200", At, new(1000, 900), 10, TimeSpan.Zero);
        var restarted = before.Answered("200", At.AddSeconds(2), new(10, 2), 20, TimeSpan.FromSeconds(2));
        var after = restarted.Answered("200", At.AddSeconds(4), new(30, 12), 30, TimeSpan.FromSeconds(2));

        Assert.Null(restarted.Traffic);
        Assert.Contains("restarted", restarted.NoTraffic);
        Assert.Equal(new PopTraffic(10, 0.5, 20, 10, 2), after.Traffic);
    }
}
