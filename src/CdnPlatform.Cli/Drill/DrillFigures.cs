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
    /// The requests of each phase (<paramref name="phases"/>: each one's event and end, in order): a request counts in
    /// the phase it was sent in, but one that failed after a later phase's event counts in the last of those: it was in
    /// flight when that event came (a write at a node the kill took), and the earlier phase's figures are for its own
    /// event, or for the steady load whose bar is no error at all. Requests sent outside every phase are left out.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<DrillOutcome>> ByPhase(IEnumerable<DrillOutcome> outcomes, IReadOnlyList<(TimeSpan At, TimeSpan End)> phases)
    {
        var byPhase = phases.Select(_ => new List<DrillOutcome>()).ToList();
        foreach (var outcome in outcomes)
        {
            var sentIn = IndexOf(phases, outcome.Started);
            if (sentIn < 0 || outcome.Started >= phases[sentIn].End)
            {
                continue;
            }
            byPhase[outcome.Failed ? Math.Max(sentIn, IndexOf(phases, outcome.Finished)) : sentIn].Add(outcome);
        }
        return byPhase;
    }

    // The last phase whose event came at or before the moment; -1 before the first.
    private static int IndexOf(IReadOnlyList<(TimeSpan At, TimeSpan End)> phases, TimeSpan moment)
    {
        var index = -1;
        for (var i = 0; i < phases.Count && phases[i].At <= moment; i++)
        {
            index = i;
        }
        return index;
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
