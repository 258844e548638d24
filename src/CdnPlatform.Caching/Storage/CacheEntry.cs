using CdnPlatform.Caching.Keys;
using CdnPlatform.Http.Freshness;

namespace CdnPlatform.Caching.Storage;

/// <summary>
/// A stored response: status, the header fields to replay, and the body. Immutable once stored, so any
/// number of hits can read it at once without locks or copies.
/// </summary>
public sealed class CacheEntry
{
    public required CacheKey Key { get; init; }
    public required int StatusCode { get; init; }

    /// <summary>Header fields as received, minus hop-by-hop fields and those the edge computes (Age, its own Cache-Status member).</summary>
    public required IReadOnlyList<KeyValuePair<string, string[]>> Headers { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>When the response arrived (RFC 9111's response_time).</summary>
    public required DateTimeOffset ResponseTime { get; init; }

    public required TimeSpan CorrectedInitialAge { get; init; }
    public required TimeSpan FreshnessLifetime { get; init; }

    /// <summary>What the entry costs the memory budget: body plus a rough figure for headers and bookkeeping.</summary>
    public long Size
    {
        get
        {
            if (_size < 0)
            {
                _size = Body.Length + 64 + Headers.Sum(h => h.Key.Length + h.Value.Sum(v => v.Length + 4));
            }
            return _size;
        }
    }

    private long _size = -1;

    public TimeSpan Age(DateTimeOffset now) => ResponseAge.Current(CorrectedInitialAge, ResponseTime, now);

    /// <summary>Remaining freshness; negative once stale (that is what Cache-Status's ttl reports).</summary>
    public TimeSpan TimeToLive(DateTimeOffset now) => FreshnessLifetime - Age(now);

    public bool IsFresh(DateTimeOffset now) => TimeToLive(now) > TimeSpan.Zero;
}
