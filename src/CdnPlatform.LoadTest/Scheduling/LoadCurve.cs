using CdnPlatform.LoadTest.Scenarios;

namespace CdnPlatform.LoadTest.Scheduling;

/// <summary>
/// The scenario's stages as a curve over time: piecewise straight lines from <see cref="Start"/> through each
/// stage's target. The value is an arrival rate (open model) or a number of virtual users (closed model).
/// </summary>
public sealed class LoadCurve
{
    public LoadCurve(double start, IReadOnlyList<Stage> stages)
    {
        if (stages.Count == 0)
        {
            throw new ArgumentException("a load has at least one stage", nameof(stages));
        }
        Start = start;
        Stages = stages;
        Duration = stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);
    }

    public double Start { get; }

    public IReadOnlyList<Stage> Stages { get; }

    public TimeSpan Duration { get; }

    /// <summary>The value at <paramref name="at"/> from the start; the last stage's target after the end.</summary>
    public double ValueAt(TimeSpan at)
    {
        var from = Start;
        var stageStart = TimeSpan.Zero;
        foreach (var stage in Stages)
        {
            if (at < stageStart + stage.Duration)
            {
                var fraction = stage.Duration == TimeSpan.Zero ? 1 : (at - stageStart) / stage.Duration;
                return from + (stage.Target - from) * Math.Max(0, fraction);
            }
            from = stage.Target;
            stageStart += stage.Duration;
        }
        return from;
    }

    /// <summary>The mean value over the whole curve: for an open model, the rate the scenario asks for on average.</summary>
    public double Mean()
    {
        var from = Start;
        var area = 0.0;
        foreach (var stage in Stages)
        {
            area += (from + stage.Target) / 2 * stage.Duration.TotalSeconds;
            from = stage.Target;
        }
        return Duration == TimeSpan.Zero ? Start : area / Duration.TotalSeconds;
    }
}
