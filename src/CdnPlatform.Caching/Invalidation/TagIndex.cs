using System.Collections.Concurrent;
using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Invalidation;

/// <summary>Which stored URLs carry a surrogate key, so a tag purge finds them without scanning the store.</summary>
public sealed class TagIndex
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<CacheKey, byte>> _keysByTag = new(StringComparer.Ordinal);

    public void Add(CacheKey key, IReadOnlyList<string> tags)
    {
        foreach (var tag in tags)
        {
            _keysByTag.GetOrAdd(tag, static _ => new ConcurrentDictionary<CacheKey, byte>()).TryAdd(key, 0);
        }
    }

    public void Remove(CacheKey key, IReadOnlyList<string> tags)
    {
        foreach (var tag in tags)
        {
            if (_keysByTag.TryGetValue(tag, out var keys))
            {
                keys.TryRemove(key, out _);
            }
        }
    }

    /// <summary>The URLs that had a response with <paramref name="tag"/> when it was stored (some may have gone since).</summary>
    public IReadOnlyCollection<CacheKey> KeysWith(string tag) =>
        _keysByTag.TryGetValue(tag, out var keys) ? (IReadOnlyCollection<CacheKey>)keys.Keys : [];

    public int TagCount => _keysByTag.Count;
}
