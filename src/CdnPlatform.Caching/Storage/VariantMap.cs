using System.Collections.Concurrent;
using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Storage;

/// <summary>
/// Each URL's stored variants (one per Vary secondary key), newest first, as immutable arrays swapped
/// with compare-and-set: readers never lock and never see a half-made change. Knows no budget or policy.
/// </summary>
internal sealed class VariantMap
{
    /// <summary>Beyond this many variants of one URL the oldest go: a Vary on a high-cardinality header must not eat the cache.</summary>
    public const int MaxVariantsPerUrl = 32;

    private readonly ConcurrentDictionary<CacheKey, CacheEntry[]> _urls;
    private readonly ConcurrentDictionary<CacheKey, CacheEntry[]>.AlternateLookup<ReadOnlySpan<char>> _byChars;

    public VariantMap()
    {
        _urls = new ConcurrentDictionary<CacheKey, CacheEntry[]>(CacheKeyComparer.Instance);
        _byChars = _urls.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool TryGet(CacheKey key, out CacheEntry[] variants) => _urls.TryGetValue(key, out variants!);

    /// <summary>As <see cref="TryGet(CacheKey, out CacheEntry[])"/>, by the key's characters (<see cref="CacheKey.Format"/>), with no key string made.</summary>
    public bool TryGet(ReadOnlySpan<char> key, out CacheEntry[] variants) => _byChars.TryGetValue(key, out variants!);

    public bool Contains(CacheKey key) => _urls.ContainsKey(key);

    /// <summary>Every URL with its variants at the moment each is read (a sweep's view).</summary>
    public IEnumerable<KeyValuePair<CacheKey, CacheEntry[]>> Urls => _urls;

    /// <summary>
    /// Puts the entry in as its URL's newest variant; <paramref name="dropped"/> gets the variants it displaced
    /// (the same variant key, or the oldest past <see cref="MaxVariantsPerUrl"/>). True when the URL was new.
    /// </summary>
    public bool Insert(CacheEntry entry, out List<CacheEntry> dropped)
    {
        while (true)
        {
            if (_urls.TryGetValue(entry.Key, out var current))
            {
                var next = WithVariant(current, entry, out dropped);
                if (_urls.TryUpdate(entry.Key, next, current))
                {
                    return false;
                }
            }
            else if (_urls.TryAdd(entry.Key, [entry]))
            {
                dropped = [];
                return true;
            }
        }
    }

    /// <summary>Puts <paramref name="updated"/> where <paramref name="current"/> is. False if current went meanwhile.</summary>
    public bool Swap(CacheEntry current, CacheEntry updated)
    {
        while (_urls.TryGetValue(current.Key, out var variants))
        {
            var index = Array.IndexOf(variants, current);
            if (index < 0)
            {
                return false;
            }
            var next = (CacheEntry[])variants.Clone();
            next[index] = updated;
            if (_urls.TryUpdate(current.Key, next, variants))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Takes one variant out. False if it was no longer there.</summary>
    public bool RemoveVariant(CacheEntry entry)
    {
        while (_urls.TryGetValue(entry.Key, out var variants))
        {
            if (Array.IndexOf(variants, entry) < 0)
            {
                return false;
            }
            if (variants.Length == 1)
            {
                if (_urls.TryRemove(KeyValuePair.Create(entry.Key, variants)))
                {
                    return true;
                }
                continue;
            }
            if (_urls.TryUpdate(entry.Key, variants.Where(v => v != entry).ToArray(), variants))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Takes the URL out with every variant; null if nothing was stored for it.</summary>
    public CacheEntry[]? RemoveUrl(CacheKey key) => _urls.TryRemove(key, out var removed) ? removed : null;

    /// <summary>Takes the URL out only if its variants are still exactly <paramref name="variants"/> (no store or purge came between).</summary>
    public bool RemoveUrlIfUnchanged(CacheKey key, CacheEntry[] variants) => _urls.TryRemove(KeyValuePair.Create(key, variants));

    private static CacheEntry[] WithVariant(CacheEntry[] current, CacheEntry entry, out List<CacheEntry> dropped)
    {
        dropped = [];
        var next = new List<CacheEntry>(current.Length + 1) { entry };
        foreach (var variant in current)
        {
            if (variant.VariantKey == entry.VariantKey || next.Count >= MaxVariantsPerUrl)
            {
                dropped.Add(variant);
            }
            else
            {
                next.Add(variant);
            }
        }
        return [.. next];
    }
}
