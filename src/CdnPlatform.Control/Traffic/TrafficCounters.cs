using System.Text.Json;

namespace CdnPlatform.Control.Traffic;

/// <summary>
/// An edge's cumulative traffic since it started, as its own <c>/healthz</c> reports it:
/// <c>"traffic": {"run": "…", "requests": N, "hits": N}</c>. <paramref name="Run"/> names the edge's run (a new one
/// each start); null from an edge that does not say.
/// </summary>
public readonly record struct TrafficCounters(long Requests, long Hits, string? Run = null)
{
    /// <summary>
    /// Reads the counters from an edge's health document. False when they are absent (an edge from before the
    /// counters) or are not whole numbers of at least 0: such a POP has no traffic figure, rather than a wrong one.
    /// </summary>
    public static bool TryRead(JsonElement health, out TrafficCounters counters)
    {
        counters = default;
        if (health.ValueKind != JsonValueKind.Object
            || !health.TryGetProperty("traffic", out var traffic) || traffic.ValueKind != JsonValueKind.Object
            || !TryReadCount(traffic, "requests", out var requests) || !TryReadCount(traffic, "hits", out var hits))
        {
            return false;
        }
        var run = traffic.TryGetProperty("run", out var named) && named.ValueKind == JsonValueKind.String ? named.GetString() : null;
        counters = new TrafficCounters(requests, hits, run);
        return true;
    }

    private static bool TryReadCount(JsonElement traffic, string name, out long count)
    {
        count = 0;
        return traffic.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out count) && count >= 0;
    }
}
