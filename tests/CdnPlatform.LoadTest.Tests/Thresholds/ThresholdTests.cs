using CdnPlatform.LoadTest.Reporting;
using CdnPlatform.LoadTest.Thresholds;

namespace CdnPlatform.LoadTest.Tests.Thresholds;

public sealed class ThresholdTests
{
    private static readonly LoadReport Report = new("t", "open", DateTimeOffset.UnixEpoch, 10, 100,
        Figures("all", requests: 1000, errors: 3, hits: 900, answers: 990, p99: 42),
        [Figures("ams", 500, 0, 480, 500, 12), Figures("nyc", 500, 3, 420, 490, 80)],
        [Figures("primary", 90, 0, 0, 90, 60)], [], [], [], false);

    [Theory]
    [InlineData("p99 < 50ms", 42, true)]
    [InlineData("p99 < 0.04s", 42, false)]
    [InlineData("p99<42", 42, false)]
    [InlineData("p99 <= 42ms", 42, true)]
    [InlineData("errors == 0", 3, false)]
    [InlineData("errors <= 3", 3, true)]
    [InlineData("error_rate < 0.01", 0.003, true)]
    [InlineData("hit_ratio > 0.9", 900.0 / 990, true)]
    [InlineData("rate >= 100", 100, true)]
    [InlineData("requests != 1000", 1000, false)]
    [InlineData("ams.p99 < 20ms", 12, true)]
    [InlineData("nyc.p99 < 20ms", 80, false)]
    [InlineData("primary.requests > 50", 90, true)]
    public void EvaluatesAgainstTheReportsFigures(string expression, double actual, bool passed)
    {
        Assert.True(Threshold.TryParse(expression, out var threshold, out var error), error);
        var result = threshold!.Evaluate(Report);
        Assert.Equal(actual, result.Actual!.Value, 9);
        Assert.Equal(passed, result.Passed);
        Assert.Equal(expression, result.Expression);
    }

    [Fact]
    public void AGroupTheRunDoesNotHaveFails()
    {
        Assert.True(Threshold.TryParse("sgp.p99 < 20ms", out var threshold, out _));
        var result = threshold!.Evaluate(Report);
        Assert.False(result.Passed);
        Assert.Null(result.Actual);
    }

    [Theory]
    [InlineData("p99 under 50ms", "is not '<metric> <op> <value>'")]
    [InlineData("p95 < 50ms", "unknown metric 'p95'")]
    [InlineData("p99 < 50m", "a latency takes ms or s, not 'm'")]
    [InlineData("errors == 0ms", "errors takes a plain number")]
    [InlineData("", "is not '<metric> <op> <value>'")]
    public void ABadThresholdSaysWhatIsWrong(string expression, string reason)
    {
        Assert.False(Threshold.TryParse(expression, out var threshold, out var error));
        Assert.Null(threshold);
        Assert.Contains(reason, error);
    }

    private static GroupFigures Figures(string name, long requests, long errors, long hits, long answers, double p99) =>
        new(name, requests, requests / 10.0, new LatencySummary(1, 2, p99, p99 + 1, p99 + 2, 1.5), hits, answers, errors,
            errors == 0 ? new Dictionary<string, long>() : new Dictionary<string, long> { ["status-5xx"] = errors }, requests * 1000);
}
