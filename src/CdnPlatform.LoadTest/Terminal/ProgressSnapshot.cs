using CdnPlatform.LoadTest.Reporting;

namespace CdnPlatform.LoadTest.Terminal;

/// <summary>
/// What the live view shows, as of the last second the run closed. Immutable: the sampler makes a new one per second or
/// event and the display's own task reads whichever is latest, so neither waits for the other.
/// </summary>
/// <param name="Pops">The POPs' names in the run's order, so their rows show before the first second closes.</param>
/// <param name="Last">The second that closed last; null before the first.</param>
/// <param name="Requests">Requests ended so far.</param>
/// <param name="Errors">Errors so far.</param>
/// <param name="ErrorsByKind">Errors so far by kind.</param>
/// <param name="RecentEvents">The last <see cref="EventsShown"/> events, oldest first.</param>
public sealed record ProgressSnapshot(
    string Scenario,
    string Model,
    IReadOnlyList<string> Pops,
    TimeSpan Elapsed,
    TimeSpan Planned,
    TimelineSecond? Last,
    long Requests,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorsByKind,
    IReadOnlyList<TimelineEvent> RecentEvents)
{
    public const int EventsShown = 5;

    public static ProgressSnapshot Starting(string scenario, string model, IReadOnlyList<string> pops, TimeSpan planned) =>
        new(scenario, model, pops, TimeSpan.Zero, planned, null, 0, 0, new Dictionary<string, long>(), []);

    public ProgressSnapshot WithSecond(TimelineSecond second, TimeSpan elapsed, TimeSpan planned)
    {
        var byKind = new Dictionary<string, long>(ErrorsByKind, StringComparer.Ordinal);
        foreach (var (kind, count) in second.ErrorsByKind)
        {
            byKind[kind] = byKind.GetValueOrDefault(kind) + count;
        }
        return this with
        {
            Elapsed = elapsed,
            Planned = planned,
            Last = second,
            Requests = Requests + second.Requests,
            Errors = Errors + second.Errors,
            ErrorsByKind = byKind,
        };
    }

    public ProgressSnapshot WithEvent(TimelineEvent timelineEvent) =>
        this with { RecentEvents = [.. RecentEvents.Skip(Math.Max(0, RecentEvents.Count - EventsShown + 1)), timelineEvent] };
}
