using CdnPlatform.LoadTest.Recording;

namespace CdnPlatform.LoadTest.Tests.Recording;

public sealed class LoadRecorderTests
{
    private static RequestOutcome Hit(double milliseconds) =>
        new(TimeSpan.FromMilliseconds(milliseconds), 200, CacheAnswer: true, Hit: true, Datacenter: null, Error: null, Bytes: 100);

    [Fact]
    public void Each_second_holds_only_its_own_requests_though_its_histograms_are_reused()
    {
        var recorder = new LoadRecorder(["ams", "fra"], TimeProvider.System);
        recorder.Record(0, Hit(50));
        recorder.Record(0, Hit(60));
        recorder.Record(1, Hit(900));
        var first = recorder.CloseSecond(targetRate: 3);
        recorder.Record(1, Hit(2));
        var second = recorder.CloseSecond(targetRate: 3);
        recorder.Record(0, Hit(7));
        var third = recorder.CloseSecond(targetRate: 3);

        Assert.Equal((3L, 900.0), (first.Requests, Math.Round(first.Latency.Max)));
        Assert.Equal((1L, 2.0), (second.Requests, Math.Round(second.Latency.Max)));
        Assert.Equal([0L, 1L], second.Pops.Select(p => p.Requests));
        Assert.Equal(2.0, Math.Round(second.Pops[1].Latency.Max));
        Assert.Equal((1L, 7.0), (third.Requests, Math.Round(third.Latency.Max)));
        Assert.Equal(0, third.Pops[1].Requests);

        var report = recorder.Report("test", "open", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(3), 3, [], interrupted: false);
        Assert.Equal(5, report.Total.Requests);
        Assert.Equal(900.0, Math.Round(report.Total.Latency.Max));
        Assert.Equal([3L, 2L], report.Pops.Select(p => p.Requests));
        Assert.Equal(900.0, Math.Round(report.Pops[1].Latency.Max));
    }
}
