using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Tests;

/// <summary>
/// Short forms the store's tests read better with. They are only spelled-out uses of the store's own
/// members, so the store keeps one way to do each thing.
/// </summary>
internal static class StoreShorthands
{
    public static bool TryStore(this MemoryCacheStore store, CacheEntry entry) => store.Store(entry) == StoreResult.Stored;

    /// <summary>The newest stored response for the URL, whatever its variant.</summary>
    public static bool TryGet(this MemoryCacheStore store, CacheKey key, out CacheEntry entry)
    {
        entry = store.Find(key, static _ => true)!;
        return entry is not null;
    }

    public static bool Remove(this MemoryCacheStore store, CacheKey key) => store.Invalidate(key, soft: false) > 0;

    /// <summary>An absolute URL invalidated under both schemes, as the edge does for purges.</summary>
    public static int InvalidateUrl(this MemoryCacheStore store, Uri url, bool soft = false)
    {
        var key = CacheKey.FromUrl(url);
        return store.Invalidate(key, soft) + store.Invalidate(key.WithOtherScheme(), soft);
    }
}
