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

    /// <summary>The body; a copy made with <c>with</c> shares it (see <see cref="StoredBody"/> for who holds it when).</summary>
    public required StoredBody Body { get; init; }

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

    /// <summary>The most hits <see cref="HitsSinceTurn"/> counts: two bits' worth, as S3-FIFO keeps.</summary>
    internal const int MaxHitsCounted = 3;

    private int _hits;

    /// <summary>
    /// Counts a hit, up to <see cref="MaxHitsCounted"/>: read first, written only when it changes, so an entry
    /// hit all the time is only read (its cache line stays shared between cores).
    /// </summary>
    /// <remarks>
    /// A plain write, not an interlocked one, on the hit path. Two hits at once may both read 1 and both write 2
    /// (one hit lost); a hit and the evictor spending one (also read, then write) may overwrite each other (a
    /// hit lost, or a spent hit back). Either way the count is off by one for one turn of one URL and never
    /// leaves 0..3: eviction needs a hint of how hot a URL is, not an exact count, and the hit path stays free
    /// of locked instructions.
    /// </remarks>
    internal void RecordHit()
    {
        var hits = Volatile.Read(ref _hits);
        if (hits < MaxHitsCounted)
        {
            Volatile.Write(ref _hits, hits + 1);
        }
    }

    /// <summary>Hits since the evictor last looked (0..<see cref="MaxHitsCounted"/>).</summary>
    internal int HitsSinceTurn => Volatile.Read(ref _hits);

    /// <summary>CLOCK's question: was the entry hit since its last turn? Clears the count either way.</summary>
    internal bool TakeReferenced() => Interlocked.Exchange(ref _hits, 0) > 0;

    /// <summary>S3-FIFO's main queue: a reinsertion spends one counted hit.</summary>
    internal void SpendHit()
    {
        var hits = Volatile.Read(ref _hits);
        if (hits > 0)
        {
            Volatile.Write(ref _hits, hits - 1);
        }
    }

    /// <summary>S3-FIFO clears the count when a URL moves from its small queue to the main one.</summary>
    internal void ForgetHits() => Volatile.Write(ref _hits, 0);

    public bool HasValidator => ETag is not null || LastModified is not null;

    /// <summary>
    /// What the process holds for the entry, which the memory budget counts: the body, and an upper estimate of
    /// the managed objects beside it — the entry itself, its place in the store's map and eviction queues
    /// (<see cref="Bookkeeping"/>), and every string and array of its key, fields and tags at their real size
    /// (two bytes a character plus the object's header), not their length.
    /// </summary>
    /// <remarks>Computed, not cached: a copy made with <c>with</c> would carry a cached figure of the original.
    /// The store reads it only when storing or dropping an entry, never on a hit.</remarks>
    public long Size
    {
        get
        {
            var size = Body.Length + Bookkeeping + StringBytes(Key.Value) + StringBytes(VariantKey) + StringBytes(ETag) + StringBytes(LastModified)
                + ArrayBytes(Headers.Count, 16) + ArrayBytes(Tags.Count, 8);
            foreach (var (name, values) in Headers)
            {
                size += StringBytes(name) + ArrayBytes(values.Length, 8);
                foreach (var value in values)
                {
                    size += StringBytes(value);
                }
            }
            foreach (var tag in Tags)
            {
                size += StringBytes(tag);
            }
            return size;
        }
    }

    /// <summary>
    /// The entry object, its body's object, the map's node and the array of the URL's variants, the eviction
    /// policy's queue slot, and the ghost slot an evicted URL leaves. Measured on x64 with 20,000 entries under
    /// S3-FIFO: entry 168 bytes, map and queue 224, body object 56 (448 in all); rounded up for the ghost.
    /// </summary>
    internal const int Bookkeeping = 512;

    // A .NET string: 20 bytes of header and length, two bytes a character, rounded up to 8.
    private static long StringBytes(string? value) => value is null ? 0 : (22 + 2L * value.Length + 7) & ~7L;

    // An array (or list) of references or pairs: 24 bytes of header and length, then its elements.
    private static long ArrayBytes(int count, int elementBytes) => 24 + (long)count * elementBytes;

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
