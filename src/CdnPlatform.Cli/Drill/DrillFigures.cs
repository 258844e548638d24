namespace CdnPlatform.Cli.Drill;

/// <summary>The pure arithmetic of a drill report: requests and errors by kind, and the recovery time.</summary>
public static class DrillFigures
{
    private const int ErrorsShown = 5;

    /// <summary>Requests, errors and the slowest request of each kind among <paramref name="outcomes"/>, every kind listed even with none.</summary>
    public static IReadOnlyList<KindFigures> ByKind(IEnumerable<DrillOutcome> outcomes)
    {
        var list = outcomes.ToList();
        return [.. Enum.GetValues<DrillKind>().Select(kind =>
        {
            var ofKind = list.Where(o => o.Kind == kind).ToList();
            var failed = ofKind.Where(o => o.Failed).OrderBy(o => o.Started).ToList();
            return new KindFigures(kind, ofKind.Count, failed.Count, [.. failed.Take(ErrorsShown).Select(o => $"{o.Started.TotalSeconds:0.000}s {o.Error}")],
                ofKind.Select(o => o.Finished - o.Started).DefaultIfEmpty(TimeSpan.Zero).Max());
        })];
    }

    /// <summary>
    /// How long after <paramref name="eventAt"/> uncacheable reads and writes kept failing: the end of the last
    /// failed one, measured from the event; zero when none failed. A failure that ended before the event is not
    /// the event's doing and does not count.
    /// </summary>
    public static TimeSpan Recovery(IEnumerable<DrillOutcome> outcomes, TimeSpan eventAt)
    {
        var last = outcomes
            .Where(o => o.Failed && o.Kind is DrillKind.Uncacheable or DrillKind.Write && o.Finished >= eventAt)
            .Select(o => o.Finished)
            .DefaultIfEmpty(eventAt)
            .Max();
        return last - eventAt;
    }
}
