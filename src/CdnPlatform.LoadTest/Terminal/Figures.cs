using System.Globalization;

namespace CdnPlatform.LoadTest.Terminal;

/// <summary>
/// How the terminal writes the run's figures, so the live view, the plain lines and the summary say the same number
/// the same way. About three significant digits: more would be noise in an HdrHistogram reading of 3 digits.
/// </summary>
public static class Figures
{
    /// <summary>What a figure the run does not have reads as (no cache answers, so no hit ratio).</summary>
    public const string None = "—";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A latency: <c>0.84ms</c>, <c>4.8ms</c>, <c>12.3ms</c>, <c>245ms</c>, <c>1.21s</c>, <c>12.5s</c>.</summary>
    /// <remarks>The bounds are where the rounded value would gain a digit (99.96 would print as 100.0ms otherwise).</remarks>
    public static string Milliseconds(double milliseconds)
    {
        if (milliseconds <= 0)
        {
            return "0ms";
        }
        if (milliseconds < 0.995)
        {
            return milliseconds.ToString("0.00", Invariant) + "ms";
        }
        if (milliseconds < 99.95)
        {
            return milliseconds.ToString("0.0", Invariant) + "ms";
        }
        if (milliseconds < 999.5)
        {
            return milliseconds.ToString("0", Invariant) + "ms";
        }
        var seconds = milliseconds / 1000;
        return seconds < 9.995 ? seconds.ToString("0.00", Invariant) + "s"
            : seconds < 99.95 ? seconds.ToString("0.0", Invariant) + "s"
            : seconds.ToString("0", Invariant) + "s";
    }

    /// <summary>A rate in requests/s (or a number of users): <c>49.8</c>, <c>50</c>, <c>201</c>, <c>12,345</c>.</summary>
    public static string Rate(double rate) =>
        rate < 99.95 ? rate.ToString("0.#", Invariant) : rate.ToString("#,0", Invariant);

    /// <summary>A ratio as a percentage, <c>97.3%</c>; <see cref="None"/> when there is none.</summary>
    public static string Percent(double? ratio) =>
        ratio is { } r ? (r * 100).ToString("0.0", Invariant) + "%" : None;

    /// <summary>A count: <c>7</c>, <c>12,345</c>.</summary>
    public static string Count(long count) => count.ToString("#,0", Invariant);

    /// <summary>A count of something: <c>1 error</c>, <c>12,345 errors</c>.</summary>
    public static string Count(long count, string noun) => count == 1 ? $"1 {noun}" : $"{Count(count)} {noun}s";

    /// <summary>Errors by kind, most first: <c>timeout 12, status-5xx 3</c>; empty when there are none.</summary>
    public static string ErrorKinds(IReadOnlyDictionary<string, long> errorsByKind) =>
        string.Join(", ", errorsByKind.Where(e => e.Value > 0).OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key} {Count(e.Value)}"));

    /// <summary>A length of time on the run's scale: <c>4.2s</c>, <c>30s</c>, <c>2m</c>, <c>1m30s</c>.</summary>
    public static string Duration(double seconds)
    {
        if (seconds < 59.95)
        {
            return Math.Max(seconds, 0).ToString("0.#", Invariant) + "s";
        }
        var whole = (long)Math.Round(seconds);
        var (minutes, rest) = (whole / 60, whole % 60);
        return rest == 0 ? $"{minutes}m" : string.Create(Invariant, $"{minutes}m{rest:00}s");
    }

    /// <summary>A point on the run's timeline, seconds from the start of the load: <c>12.4s</c>.</summary>
    public static string At(double seconds) => seconds.ToString("0.0", Invariant) + "s";
}
