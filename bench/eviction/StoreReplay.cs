using CdnPlatform.Caching.Eviction;
using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Bench.Eviction;

/// <summary>Replays a trace through a real <see cref="MemoryCacheStore"/>: a lookup per request, a store on every miss, as the edge does.</summary>
internal static class StoreReplay
{
    // Every body is a slice of one buffer: the store holds millions of bytes of "content" without the machine holding them.
    private static readonly byte[] Content = new byte[Catalogue.MaxBodyBytes];
    private static readonly IReadOnlyList<KeyValuePair<string, string[]>> Headers = [KeyValuePair.Create("Content-Type", new[] { "application/octet-stream" })];

    public static HitCount Run(Catalogue catalogue, int[] trace, long capacityBytes, EvictionPolicy eviction)
    {
        var store = new MemoryCacheStore(capacityBytes, eviction: eviction);
        var count = new HitCount();
        foreach (var id in trace)
        {
            var hit = store.Find(catalogue.Keys[id], static _ => true) is not null;
            if (!hit)
            {
                store.Store(Entry(catalogue, id));
            }
            count.Count(hit, catalogue.BodyBytes[id]);
        }
        return count;
    }

    /// <summary>A fresh entry for the object, as a fetch would make (a new one per miss: an entry carries its own hit count).</summary>
    public static CacheEntry Entry(Catalogue catalogue, int id) => new()
    {
        Key = catalogue.Keys[id],
        StatusCode = 200,
        Headers = Headers,
        Body = Content.AsMemory(0, catalogue.BodyBytes[id]),
        ResponseTime = DateTimeOffset.UnixEpoch,
        CorrectedInitialAge = TimeSpan.Zero,
        FreshnessLifetime = TimeSpan.FromDays(365),
    };
}
