namespace CdnPlatform.LoadTest.Reporting;

/// <summary>Latency percentiles in milliseconds, read from an HdrHistogram (3 significant digits).</summary>
public sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static readonly LatencySummary Empty = new(0, 0, 0, 0, 0, 0);
}
