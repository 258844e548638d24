namespace CdnPlatform.Control.Traffic;

/// <summary>One POP's traffic over the window between two readings of its counters.</summary>
/// <param name="RequestsPerSecond">Requests the edge answered in the window, per second.</param>
/// <param name="HitRatio">The share of those answered from its cache, 0..1; null when the window had no request.</param>
/// <param name="Requests">Requests in the window.</param>
/// <param name="Hits">Hits in the window.</param>
/// <param name="Seconds">The window's length, by the control plane's monotonic clock.</param>
public sealed record PopTraffic(double RequestsPerSecond, double? HitRatio, long Requests, long Hits, double Seconds)
{
    /// <summary>
    /// The traffic between two readings <paramref name="elapsed"/> apart; null when none can be given: no time
    /// passed, or the edge restarted in between, so the window spans two runs of it. A restart shows by the run
    /// the edge names, or by a counter that went back (an edge that names no run).
    /// </summary>
    public static PopTraffic? Between(TrafficCounters before, TrafficCounters after, TimeSpan elapsed)
    {
        var requests = after.Requests - before.Requests;
        var hits = after.Hits - before.Hits;
        if (elapsed <= TimeSpan.Zero || requests < 0 || hits < 0 || !string.Equals(before.Run, after.Run, StringComparison.Ordinal))
        {
            return null;
        }
        // The edge reads its two counters one after the other, so a hit may show before its request does: never above 1.
        hits = Math.Min(hits, requests);
        return new PopTraffic(requests / elapsed.TotalSeconds, requests == 0 ? null : (double)hits / requests, requests, hits, elapsed.TotalSeconds);
    }
}
