using System.Globalization;

namespace ClusterLoad;

/// <summary>p50 / p99 / max of a set of milliseconds, as the results table prints them.</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        // Nearest rank: the smallest value with at least that share of the values at or below it.
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static string Summary(IReadOnlyList<double> values) => string.Create(CultureInfo.InvariantCulture,
        $"n={values.Count} p50={Of(values, 50):0.0} ms p99={Of(values, 99):0.0} ms max={(values.Count == 0 ? double.NaN : values.Max()):0.0} ms");
}
