namespace CdnPlatform.Control.Traffic;

/// <summary>
/// One POP as <see cref="PopTrafficMonitor"/> last polled it: what the poll got, the last counters it read (and
/// when, as a monotonic timestamp), and the traffic since the reading before; <see cref="NoTraffic"/> says why
/// there is no figure when <see cref="Traffic"/> is null.
/// </summary>
public sealed record PopTrafficStatus(
    string Name,
    string Url,
    string LastPoll,
    DateTimeOffset? PolledAt,
    TrafficCounters? Counters,
    long CountedAt,
    PopTraffic? Traffic,
    string? NoTraffic)
{
    public static PopTrafficStatus NotPolled(string name, string url) => new(name, url, "not polled yet", null, null, 0, null, "not polled yet");

    /// <summary>After a poll the edge answered (<paramref name="outcome"/>: its status code), with or without counters.</summary>
    /// <param name="countedAt">The monotonic timestamp of this reading.</param>
    /// <param name="sinceLastCount">Time since the previous reading's <see cref="CountedAt"/>; unused when there was none.</param>
    public PopTrafficStatus Answered(string outcome, DateTimeOffset at, TrafficCounters? counters, long countedAt, TimeSpan sinceLastCount)
    {
        if (counters is not { } now)
        {
            return this with { LastPoll = outcome, PolledAt = at, Counters = null, Traffic = null, NoTraffic = "its /healthz reports no traffic counters" };
        }
        if (Counters is not { } before)
        {
            return this with
            {
                LastPoll = outcome, PolledAt = at, Counters = now, CountedAt = countedAt, Traffic = null,
                NoTraffic = "first reading of its counters: a rate needs two",
            };
        }
        var traffic = PopTraffic.Between(before, now, sinceLastCount);
        return this with
        {
            LastPoll = outcome, PolledAt = at, Counters = now, CountedAt = countedAt, Traffic = traffic,
            NoTraffic = traffic is null ? "the edge restarted (another run, or its counters went back): figures again from the next poll" : null,
        };
    }

    /// <summary>
    /// After a poll the edge did not answer. The last counters are kept: when it answers again, the window from them
    /// spans the gap, and the rate over it is still right.
    /// </summary>
    public PopTrafficStatus Unanswered(string outcome, DateTimeOffset at) =>
        this with { LastPoll = outcome, PolledAt = at, Traffic = null, NoTraffic = "did not answer its last poll" };
}
