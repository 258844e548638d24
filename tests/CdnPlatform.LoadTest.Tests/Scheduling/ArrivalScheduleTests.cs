using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Scheduling;

namespace CdnPlatform.LoadTest.Tests.Scheduling;

public sealed class ArrivalScheduleTests
{
    [Fact]
    public void AConstantRateSpacesArrivalsEvenly()
    {
        var schedule = new ArrivalSchedule(new LoadCurve(100, [new Stage(TimeSpan.FromSeconds(2), 100)]));
        var offsets = Drain(schedule);
        Assert.Equal(200, offsets.Count);
        for (var k = 0; k < offsets.Count; k++)
        {
            Assert.Equal(k * 10.0, offsets[k].TotalMilliseconds, tolerance: 1e-3);
        }
    }

    [Fact]
    public void ARampFromZeroSendsWhatTheRateCurveIntegratesTo()
    {
        // 0 → 100 requests/s over 10 s: N(t) = 5 t², so 500 arrivals, arrival k at sqrt(k / 5) s.
        var offsets = Drain(new ArrivalSchedule(new LoadCurve(0, [new Stage(TimeSpan.FromSeconds(10), 100)])));
        Assert.Equal(500, offsets.Count);
        Assert.Equal(TimeSpan.Zero, offsets[0]);
        for (var k = 1; k < offsets.Count; k++)
        {
            Assert.Equal(Math.Sqrt(k / 5.0), offsets[k].TotalSeconds, tolerance: 1e-6);
        }
        // Each second holds what the curve says: 5 (2s+1) arrivals in second s.
        for (var second = 0; second < 10; second++)
        {
            Assert.Equal(5 * (2 * second + 1), offsets.Count(o => o.TotalSeconds >= second && o.TotalSeconds < second + 1), 1.0);
        }
    }

    [Fact]
    public void StagesFollowEachOtherAndARampDownSlowsArrivals()
    {
        // Hold 100/s for 1 s, up to 300/s over 1 s, down to 0 over 2 s: 100 + 200 + 300 arrivals.
        var curve = new LoadCurve(100, [new Stage(TimeSpan.FromSeconds(1), 100), new Stage(TimeSpan.FromSeconds(1), 300), new Stage(TimeSpan.FromSeconds(2), 0)]);
        var offsets = Drain(new ArrivalSchedule(curve));
        Assert.Equal(600, offsets.Count);
        Assert.True(offsets.Zip(offsets.Skip(1)).All(p => p.Second > p.First), "arrivals are in time order");
        Assert.Equal(100, offsets.Count(o => o < TimeSpan.FromSeconds(1)));
        Assert.Equal(200, offsets.Count(o => o >= TimeSpan.FromSeconds(1) && o < TimeSpan.FromSeconds(2)));
        Assert.True(offsets[^1] < TimeSpan.FromSeconds(4));
        // The gaps widen as the rate falls to 0.
        Assert.True(offsets[^1] - offsets[^2] > offsets[400] - offsets[399]);
    }

    [Fact]
    public void TheCurveGivesItsValueAndMeanRate()
    {
        var curve = new LoadCurve(100, [new Stage(TimeSpan.FromSeconds(10), 100), new Stage(TimeSpan.FromSeconds(10), 300)]);
        Assert.Equal(100, curve.ValueAt(TimeSpan.FromSeconds(5)));
        Assert.Equal(200, curve.ValueAt(TimeSpan.FromSeconds(15)), 6);
        Assert.Equal(300, curve.ValueAt(TimeSpan.FromSeconds(60)));
        Assert.Equal(150, curve.Mean(), 6);
        Assert.Equal(TimeSpan.FromSeconds(20), curve.Duration);
    }

    private static List<TimeSpan> Drain(ArrivalSchedule schedule)
    {
        var offsets = new List<TimeSpan>();
        while (schedule.TryNext(out var offset))
        {
            offsets.Add(offset);
        }
        return offsets;
    }
}
