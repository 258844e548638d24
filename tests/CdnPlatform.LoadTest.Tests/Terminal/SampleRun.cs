using CdnPlatform.LoadTest.Reporting;

namespace CdnPlatform.LoadTest.Tests.Terminal;

/// <summary>A run's figures with two POPs and two datacenters, known to the digit, for the terminal's tests to read back.</summary>
public static class SampleRun
{
    /// <summary>The 12th second: ams clean, fra with two timeouts and no cache answers.</summary>
    public static readonly TimelineSecond Second = new(11, 200, 201, new LatencySummary(1.2, 3.3, 4.8, 8.8, 9.1, 1.6), 146, 150, 2,
        [
            new PopSecond("ams", 100, new LatencySummary(1.1, 3.0, 4.1, 6.0, 7.0, 1.5), 49, 50, 0),
            new PopSecond("fra", 101, new LatencySummary(1.3, 3.6, 5.2, 9.0, 9.1, 1.7), 0, 0, 2),
        ],
        new Dictionary<string, long> { ["timeout"] = 2 });

    public static readonly TimelineEvent Purge = new(12.4, "purge", "purge 3 of /products/7");

    public static readonly TimelineEvent PurgeFresh = new(12.4345, "purge-fresh", "purge 3 fresh at every edge", 0.0345);

    public static LoadReport Report(bool interrupted = false, IReadOnlyList<ThresholdResult>? thresholds = null) =>
        new("browse", "open", new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), 30, 200,
            Group("all", 6000, 200, new LatencySummary(1.2, 3.1, 4.9, 11.2, 240, 1.6), 5838, 6000, 3, new() { ["timeout"] = 2, ["status-5xx"] = 1 }),
            [
                Group("ams", 3000, 100, new LatencySummary(1.1, 2.2, 4.1, 8.0, 12.5, 1.5), 2940, 3000, 1, new() { ["status-5xx"] = 1 }),
                Group("fra", 3000, 100, new LatencySummary(1.3, 3.4, 5.6, 13.9, 240, 1.7), 2898, 3000, 2, new() { ["timeout"] = 2 }),
            ],
            [
                Group("primary", 120, 4, new LatencySummary(21.5, 30.2, 44.4, 61.0, 62.3, 24.0), 0, 0, 1, new() { ["status-5xx"] = 1 }),
                Group("dr", 42, 1.4, new LatencySummary(25.0, 33.3, 48.8, 70.1, 71.0, 27.0), 0, 0, 0, new()),
            ],
            [Second], [Purge, PurgeFresh],
            thresholds ?? [new ThresholdResult("p99 < 50ms", 4.9, true), new ThresholdResult("errors == 0", 3, false)],
            interrupted)
        {
            ErrorSamples = ["3.120s GET /products/9 via fra: timeout after 2s", "7.004s GET / via ams: 503 Service Unavailable"],
        };

    private static GroupFigures Group(string name, long requests, double rate, LatencySummary latency, long hits, long answers, long errors,
        Dictionary<string, long> byKind) =>
        new(name, requests, rate, latency, hits, answers, errors, byKind, requests * 2000);
}
