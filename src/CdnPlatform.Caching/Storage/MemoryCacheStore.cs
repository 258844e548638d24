using System.Collections.Concurrent;
using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Storage;

/// <summary>
/// Stored responses in process memory, within a byte budget. Lookups are lock-free. When the budget is
/// full a new response is simply not stored: eviction policy is the engine's next step (issue 3), and
/// refusing is the honest behaviour until then — the response is still served, just not kept.
/// </summary>
public sealed class MemoryCacheStore
{
    private readonly ConcurrentDictionary<CacheKey, CacheEntry> _entries = new();
    private long _bytes;

    public MemoryCacheStore(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    public long SizeBytes => Interlocked.Read(ref _bytes);

    public int Count => _entries.Count;

    public bool TryGet(CacheKey key, out CacheEntry entry) => _entries.TryGetValue(key, out entry!);

    /// <summary>Stores or replaces the entry for its key. Returns false when it does not fit the budget.</summary>
    public bool TryStore(CacheEntry entry)
    {
        var size = entry.Size;
        // Reserve first, then check: concurrent stores each see the others' reservations, so together
        // they can never overshoot the budget.
        if (Interlocked.Add(ref _bytes, size) > CapacityBytes)
        {
            var replaced = _entries.TryGetValue(entry.Key, out var current) ? current.Size : 0;
            if (SizeBytes - replaced > CapacityBytes)
            {
                Interlocked.Add(ref _bytes, -size);
                return false;
            }
        }
        while (true)
        {
            if (_entries.TryGetValue(entry.Key, out var previous))
            {
                if (_entries.TryUpdate(entry.Key, entry, previous))
                {
                    Interlocked.Add(ref _bytes, -previous.Size);
                    return true;
                }
            }
            else if (_entries.TryAdd(entry.Key, entry))
            {
                return true;
            }
        }
    }

    public bool Remove(CacheKey key)
    {
        if (_entries.TryRemove(key, out var removed))
        {
            Interlocked.Add(ref _bytes, -removed.Size);
            return true;
        }
        return false;
    }

    /// <summary>Drops what is stored for an absolute URL, under both schemes. Returns how many entries went.</summary>
    public int InvalidateUrl(Uri url)
    {
        var key = CacheKey.FromUrl(url);
        return (Remove(key) ? 1 : 0) + (Remove(key.WithOtherScheme()) ? 1 : 0);
    }
}
