using CdnPlatform.Caching.Keys;
using CdnPlatform.Http.Freshness;
using CdnPlatform.Http.Vary;

namespace CdnPlatform.Caching.Storage;

/// <summary>
/// A stored response: status, the header fields to replay, the body, and what the engine needs to decide
/// about reuse without parsing headers again on every hit. Immutable once stored, so any number of hits
/// can read it at once without locks or copies; a purge or a 304 replaces it with an updated copy.
/// </summary>
public sealed record CacheEntry
{
    public required CacheKey Key { get; init; }
    public required int StatusCode { get; init; }

    /// <summary>Header fields to replay, minus hop-by-hop fields and those the edge computes (Age, its own Cache-Status member).</summary>
    public required IReadOnlyList<KeyValuePair<string, string[]>> Headers { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>When the response arrived (RFC 9111's response_time).</summary>
    public required DateTimeOffset ResponseTime { get; init; }

    public required TimeSpan CorrectedInitialAge { get; init; }
    public required TimeSpan FreshnessLifetime { get; init; }

    /// <summary>Identifies the variant among the responses stored for one URL (the Vary secondary key); empty without Vary.</summary>
    public string VariantKey { get; init; } = "";

    /// <summary>The request fields the response varies on, to compute a request's variant key.</summary>
    public VaryFields Vary { get; init; } = VaryFields.None;

    /// <summary>Surrogate keys (from Surrogate-Key / Cache-Tag) a tag purge can reach this entry by.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary><c>no-cache</c>: stored, but every use needs a successful revalidation first.</summary>
    public bool RequiresRevalidation { get; init; }

    /// <summary><c>must-revalidate</c>, <c>proxy-revalidate</c> or <c>s-maxage</c>: never served stale.</summary>
    public bool ForbidsStale { get; init; }

    public TimeSpan StaleWhileRevalidate { get; init; }
    public TimeSpan StaleIfError { get; init; }

    /// <summary>Soft-purged: kept for stale-while-revalidate / stale-if-error, but never again fresh.</summary>
    public bool Invalidated { get; init; }

    /// <summary>
    /// The store's <see cref="MemoryCacheStore.Generation"/> when the origin request for this response
    /// began. A purge after that point may have been meant for this very content, so the store refuses it.
    /// </summary>
    public long? FetchStartedAt { get; init; }

    /// <summary>The store's generation when this entry went in; bans issued later apply to it.</summary>
    public long Generation { get; internal set; }

    private int _referenced;

    /// <summary>Set on every hit; the store's CLOCK eviction gives a referenced entry a second chance.</summary>
    internal void MarkReferenced()
    {
        if (Volatile.Read(ref _referenced) == 0)
        {
            Volatile.Write(ref _referenced, 1);
        }
    }

    internal bool TakeReferenced() => Interlocked.Exchange(ref _referenced, 0) == 1;

    public bool HasValidator => ETag is not null || LastModified is not null;

    /// <summary>What the entry costs the memory budget: body plus a rough figure for headers and bookkeeping.</summary>
    /// <remarks>Computed, not cached: a copy made with <c>with</c> would carry a cached figure of the original.
    /// The store reads it only when storing or dropping an entry, never on a hit.</remarks>
    public long Size => Body.Length + 256 + VariantKey.Length + Headers.Sum(h => h.Key.Length + h.Value.Sum(v => v.Length + 8));

    public TimeSpan Age(DateTimeOffset now) => ResponseAge.Current(CorrectedInitialAge, ResponseTime, now);

    /// <summary>Remaining freshness; negative once stale (that is what Cache-Status's ttl reports).</summary>
    public TimeSpan TimeToLive(DateTimeOffset now) => FreshnessLifetime - Age(now);

    public bool IsFresh(DateTimeOffset now) => !Invalidated && TimeToLive(now) > TimeSpan.Zero;

    /// <summary>How long past its freshness the entry is (zero while fresh).</summary>
    public TimeSpan Staleness(DateTimeOffset now)
    {
        var ttl = TimeToLive(now);
        return ttl > TimeSpan.Zero ? TimeSpan.Zero : -ttl;
    }

    /// <summary>The soft-purged copy: stale from <paramref name="now"/> on, so stale-while-revalidate and stale-if-error windows count from the purge.</summary>
    public CacheEntry AsInvalidated(DateTimeOffset now) => this with { Invalidated = true, FreshnessLifetime = Age(now) < FreshnessLifetime ? Age(now) : FreshnessLifetime };
}
