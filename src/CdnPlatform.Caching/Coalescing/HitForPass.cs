using System.Collections.Concurrent;
using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Coalescing;

/// <summary>
/// URLs whose last response could not be shared (private, no-store, too large): for a while their requests
/// go to the origin at once instead of queueing behind one another's fetch (Varnish's hit-for-pass).
/// Their responses may still be stored if they turn shareable, which ends the pass.
/// </summary>
public sealed class HitForPass
{
    private readonly ConcurrentDictionary<CacheKey, DateTimeOffset> _until = new();
    private readonly TimeProvider _time;

    public HitForPass(TimeProvider time) => _time = time;

    public void Mark(CacheKey key, TimeSpan duration) => _until[key] = _time.GetUtcNow() + duration;

    public bool IsActive(CacheKey key)
    {
        if (!_until.TryGetValue(key, out var until))
        {
            return false;
        }
        if (until > _time.GetUtcNow())
        {
            return true;
        }
        _until.TryRemove(KeyValuePair.Create(key, until));
        return false;
    }

    public void Clear(CacheKey key) => _until.TryRemove(key, out _);
}
