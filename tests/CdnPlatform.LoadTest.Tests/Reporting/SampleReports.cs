using CdnPlatform.LoadTest.Reporting;

namespace CdnPlatform.LoadTest.Tests.Reporting;

/// <summary>
/// Reports as a run would make them, for the HTML report's tests: 30 s of an open model at 200 requests/s over two POPs
/// (ams, fra) and two datacenters, a purge that every edge applied, the primary datacenter killed and the automatic
/// failover, errors while it was down, one threshold broken; and the report of a run stopped at once.
/// </summary>
public static class SampleReports
{
    public const int Seconds = 30;
    public const double Rate = 200;
    public const int KillAt = 14;
    public const int FailoverAt = 17;
    public const int PurgeAt = 8;

    public static LoadReport Drill(string scenario = "dc-drill", string purgeLabel = "purge 1 of /products/7") =>
        new(scenario, "open", new DateTimeOffset(2026, 12, 4, 9, 30, 0, TimeSpan.Zero), Seconds, Rate,
            Total: new("all", 5985, 199.5, new(2.41, 6.8, 48.3, 1012, 1031, 4.92), 5210, 5702, 37,
                new Dictionary<string, long> { ["status-5xx"] = 29, ["timeout"] = 8 }, 184_320_512),
            Pops:
            [
                new("ams", 3352, 111.7, new(2.12, 6.1, 44.9, 998, 1031, 4.71), 2916, 3193, 19,
                    new Dictionary<string, long> { ["status-5xx"] = 15, ["timeout"] = 4 }, 103_219_200),
                new("fra", 2633, 87.8, new(2.73, 7.4, 51.2, 1012, 1024, 5.13), 2294, 2509, 18,
                    new Dictionary<string, long> { ["status-5xx"] = 14, ["timeout"] = 4 }, 81_101_312),
            ],
            Datacenters:
            [
                new("primary", 310, 10.3, new(11.4, 18.2, 30.6, 41.0, 52.1, 12.8), 0, 310, 0, new Dictionary<string, long>(), 9_830_400),
                new("dr", 182, 6.1, new(13.9, 22.7, 38.4, 47.5, 60.3, 15.2), 0, 182, 0, new Dictionary<string, long>(), 5_767_168),
            ],
            Timeline: Enumerable.Range(0, Seconds).Select(Second).ToList(),
            Events:
            [
                new(0, "stage", "stage 1: 200 requests/s for 30s"),
                new(PurgeAt + 0.20, "purge", purgeLabel),
                new(PurgeAt + 0.62, "purge-fresh", "purge 1 fresh at every edge", 0.42),
                new(KillAt + 0.05, "dc-kill", "primary killed"),
                new(FailoverAt + 0.40, "failover", "dr active (automatic)", 3.35),
            ],
            Thresholds:
            [
                new("p99 < 100ms", 48.3, true),
                new("errors == 0", 37, false),
                new("hit_ratio > 0.8", 5210.0 / 5702, true),
            ],
            Interrupted: false)
        {
            ErrorSamples =
            [
                "GET /products/7 via ams: 503 Service Unavailable (primary down)",
                "GET /cart via fra: timeout after 2000 ms",
            ],
        };

    /// <summary>A run stopped before its first second closed: no timeline, no events, nothing measured.</summary>
    public static LoadReport Empty() =>
        new("browse", "closed", new DateTimeOffset(2026, 12, 4, 9, 30, 0, TimeSpan.Zero), 0.2, null,
            new("all", 0, 0, LatencySummary.Empty, 0, 0, 0, new Dictionary<string, long>(), 0),
            [new("ams", 0, 0, LatencySummary.Empty, 0, 0, 0, new Dictionary<string, long>(), 0)],
            [], [], [], [], Interrupted: true);

    /// <summary>
    /// One second: the hit ratio drops after the purge and refills, the kill brings 5xx and timeouts until the
    /// failover, the latency's tail grows while requests wait for a datacenter that is gone.
    /// </summary>
    private static TimelineSecond Second(int second)
    {
        var down = second is >= KillAt and < FailoverAt + 1;
        var sincePurge = second - PurgeAt;
        var hitRatio = sincePurge is >= 0 and < 5 ? 0.55 + 0.07 * sincePurge : 0.93;
        var requests = second == 0 ? 150 : 200 - (down ? 12 : 0) + (second % 3);
        var errors = down ? new Dictionary<string, long> { ["status-5xx"] = 7, ["timeout"] = second == KillAt + 1 ? 8 : 0 } : [];
        var errorCount = errors.Values.Sum();
        var latency = down
            ? new LatencySummary(3.1, 12.4, 420 + 100 * (second - KillAt), 1000, 1010 + second, 40.2)
            : new LatencySummary(2.2 + 0.1 * (second % 4), 6.0, 14.0 + second % 5, 21, 30 + second % 7, 3.1);
        var pops = new List<PopSecond>();
        foreach (var (name, share, tilt) in new[] { ("ams", 0.56, 0.02), ("fra", 0.44, -0.02) })
        {
            var popRequests = name == "ams" ? (long)(requests * share) : requests - (long)(requests * 0.56);
            var popAnswers = popRequests - errorCount / 2;
            pops.Add(new PopSecond(name, popRequests, latency with { P50 = latency.P50 * (1 + tilt * 5) },
                (long)(popAnswers * Math.Clamp(hitRatio + tilt, 0, 1)), popAnswers, errorCount / 2 + (name == "ams" ? errorCount % 2 : 0)));
        }
        return new TimelineSecond(second, Rate, requests, latency, pops.Sum(p => p.Hits), pops.Sum(p => p.CacheAnswers),
            errorCount, pops, errors.Where(e => e.Value > 0).ToDictionary());
    }
}
