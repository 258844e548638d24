using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Edge.Storage;

/// <summary>Invalidating a URL the way visitors and purges name it: http and https are one resource to them.</summary>
internal static class UrlInvalidation
{
    /// <summary>Removes (hard) or marks stale (soft) every variant of the URL under both schemes. Returns how many.</summary>
    public static int InvalidateUrl(this MemoryCacheStore store, CacheKey key, bool soft) =>
        store.Invalidate(key, soft) + store.Invalidate(key.WithOtherScheme(), soft);
}
