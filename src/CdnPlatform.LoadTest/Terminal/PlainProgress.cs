using System.Globalization;
using System.Text;
using CdnPlatform.LoadTest.Reporting;

namespace CdnPlatform.LoadTest.Terminal;

/// <summary>
/// Progress as one line per second and one per event, for CI logs and pipes (or <c>--plain</c>): no ANSI, nothing
/// redrawn, so every line reads the same in a log file as it did on the screen.
/// </summary>
public sealed class PlainProgress(TextWriter output) : IRunProgress
{
    public void OnSecond(TimelineSecond second, TimeSpan elapsed, TimeSpan planned) => output.WriteLine(FormatSecond(second, elapsed, planned));

    public void OnEvent(TimelineEvent timelineEvent) => output.WriteLine(FormatEvent(timelineEvent));

    /// <summary><c>[  12s/30s] 201 req/s (target 200) p50 1.2ms p99 4.8ms max 9.1ms hit 97.3% errors 0 | ams 100 p99 4.1ms hit 98.0% | …</c></summary>
    public static string FormatSecond(TimelineSecond second, TimeSpan elapsed, TimeSpan planned)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"[{Math.Round(elapsed.TotalSeconds),4}s/{Figures.Duration(planned.TotalSeconds)}] ");
        line.Append(CultureInfo.InvariantCulture, $"{Figures.Count(second.Requests)} req/s");
        if (second.TargetRate is { } target)
        {
            line.Append(CultureInfo.InvariantCulture, $" (target {Figures.Rate(target)})");
        }
        line.Append(CultureInfo.InvariantCulture,
            $" p50 {Figures.Milliseconds(second.Latency.P50)} p99 {Figures.Milliseconds(second.Latency.P99)} max {Figures.Milliseconds(second.Latency.Max)}");
        line.Append(CultureInfo.InvariantCulture, $" hit {Figures.Percent(second.HitRatio)} errors {Figures.Count(second.Errors)}");
        if (second.Errors > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $" ({Figures.ErrorKinds(second.ErrorsByKind)})");
        }
        foreach (var pop in second.Pops)
        {
            line.Append(CultureInfo.InvariantCulture,
                $" | {pop.Name} {Figures.Count(pop.Requests)} p99 {Figures.Milliseconds(pop.Latency.P99)} hit {Figures.Percent(pop.HitRatio)}");
            // A POP's errors only when it has some: a line per second across many POPs is long enough.
            if (pop.Errors > 0)
            {
                line.Append(CultureInfo.InvariantCulture, $" errors {Figures.Count(pop.Errors)}");
            }
        }
        return line.ToString();
    }

    /// <summary><c>[  12.4s] purge: purge 3 of /products/7</c>, and how long it took when it has a length.</summary>
    public static string FormatEvent(TimelineEvent timelineEvent)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[{Figures.At(timelineEvent.At),7}] {timelineEvent.Kind}: {timelineEvent.Label}");
        return timelineEvent.Seconds is { } seconds ? $"{line} ({Figures.Milliseconds(seconds * 1000)})" : line;
    }
}
