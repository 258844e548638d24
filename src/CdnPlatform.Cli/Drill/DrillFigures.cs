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
    /// The requests of each phase (<paramref name="phases"/>: each one's event and end, in order, the first being the
    /// steady load): a request counts in the phase it was sent in, except that one sent during the steady load that
    /// failed after the first event counts in that event's phase. It was in flight when the event came (a write at a
    /// node the kill took), and the steady load's bar is no error at all. Later phases keep what was sent in them: a
    /// write held through a stall fails only after the resume, yet the stall is what failed it. Requests sent outside
    /// every phase are left out.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<DrillOutcome>> ByPhase(IEnumerable<DrillOutcome> outcomes, IReadOnlyList<(TimeSpan At, TimeSpan End)> phases)
    {
        var byPhase = phases.Select(_ => new List<DrillOutcome>()).ToList();
        foreach (var outcome in outcomes)
        {
            var sentIn = phases.Count - 1;
            while (sentIn >= 0 && phases[sentIn].At > outcome.Started)
            {
                sentIn--;
            }
            if (sentIn < 0 || outcome.Started >= phases[sentIn].End)
            {
                continue;
            }
            var caughtByTheFirstEvent = sentIn == 0 && phases.Count > 1 && outcome.Failed && outcome.Finished >= phases[1].At;
            byPhase[caughtByTheFirstEvent ? 1 : sentIn].Add(outcome);
        }
        return byPhase;
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
