using System.Collections.Immutable;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Invalidation;

/// <summary>The bans not yet swept through the whole store, in the order they were issued.</summary>
internal sealed class BanList
{
    private ImmutableArray<Ban> _pending = [];

    /// <summary>A snapshot: bans added after it is read are not in it.</summary>
    public ImmutableArray<Ban> Pending => _pending;

    public void Add(Ban ban) => ImmutableInterlocked.Update(ref _pending, static (bans, b) => bans.Add(b), ban);

    /// <summary>Forgets bans a sweep has applied everywhere; bans added during the sweep stay.</summary>
    public void RemoveSwept(ImmutableArray<Ban> swept) => ImmutableInterlocked.Update(ref _pending, static (current, s) => current.RemoveRange(s), swept);

    /// <summary>
    /// What <paramref name="bans"/> make of an entry: issued after it was stored and covering its URL. A hard ban
    /// wins over any soft one; a soft ban leaves an already invalidated entry as it is.
    /// </summary>
    public static BanVerdict Judge(CacheKey key, CacheEntry entry, ImmutableArray<Ban> bans)
    {
        var soft = false;
        foreach (var ban in bans)
        {
            if (ban.Generation > entry.Generation && ban.Covers(key))
            {
                if (!ban.Soft)
                {
                    return BanVerdict.Remove;
                }
                soft = true;
            }
        }
        return soft && !entry.Invalidated ? BanVerdict.MarkStale : BanVerdict.Keep;
    }
}
