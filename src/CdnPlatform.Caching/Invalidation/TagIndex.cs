using System.Collections.Concurrent;
using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Invalidation;

/// <summary>Which stored URLs carry a surrogate key, so a tag purge finds them without scanning the store.</summary>
public sealed class TagIndex
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<CacheKey, byte>> _keysByTag = new(StringComparer.Ordinal);

    // Adds and the removal of emptied tags take turns: an add must never land in a set being dropped.
    // Stores take it, hits never do.
    private readonly Lock _structure = new();

    public void Add(CacheKey key, IReadOnlyList<string> tags)
    {
        if (tags.Count == 0)
        {
            return;
        }
        lock (_structure)
        {
            foreach (var tag in tags)
            {
                _keysByTag.GetOrAdd(tag, static _ => new ConcurrentDictionary<CacheKey, byte>()).TryAdd(key, 0);
            }
        }
    }

    /// <summary>Drops the (URL, tag) pairs <paramref name="stillTagged"/> says no longer hold, and tags left with no URL.</summary>
    public void Prune(Func<CacheKey, string, bool> stillTagged)
    {
        foreach (var (tag, keys) in _keysByTag)
        {
            foreach (var key in keys.Keys)
            {
                if (!stillTagged(key, tag))
                {
                    keys.TryRemove(key, out _);
                }
            }
            if (keys.IsEmpty)
            {
                lock (_structure)
                {
                    if (keys.IsEmpty)
                    {
                        _keysByTag.TryRemove(KeyValuePair.Create(tag, keys));
                    }
                }
            }
        }
    }

    /// <summary>The URLs that had a response with <paramref name="tag"/> when it was stored (some may have gone since).</summary>
    public IReadOnlyCollection<CacheKey> KeysWith(string tag) =>
        _keysByTag.TryGetValue(tag, out var keys) ? (IReadOnlyCollection<CacheKey>)keys.Keys : [];

    public int TagCount => _keysByTag.Count;
}
