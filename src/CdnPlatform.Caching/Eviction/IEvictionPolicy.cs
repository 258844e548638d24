using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Eviction;

/// <summary>
/// Which URLs leave when the store's byte budget overflows. The store calls <see cref="Admit"/> after a new
/// URL went in and <see cref="EvictFor"/> when a store would pass the budget; a hit only counts on the entry
/// (<see cref="CacheEntry.RecordHit"/>), so no policy is on the hit path.
/// </summary>
internal interface IEvictionPolicy
{
    /// <summary>Gives a newly stored URL its place (the entry is its first variant).</summary>
    void Admit(CacheEntry entry);

    /// <summary>
    /// Evicts whole URLs from <paramref name="urls"/> until the budget fits, counting <paramref name="freedByStore"/>
    /// as already gone and never taking <paramref name="incoming"/>. False if the budget cannot be met.
    /// </summary>
    bool EvictFor(CacheKey incoming, long freedByStore, VariantMap urls, ByteBudget budget);
}
