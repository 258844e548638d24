using System.Collections.Concurrent;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Eviction;

/// <summary>
/// CLOCK (second chance) over URLs: they queue in the order they were first stored; the evictor takes the
/// oldest, and one that was hit since its last turn goes to the back instead of out. That keeps hot objects
/// at the cost of a counter write on the first hits after each turn (<see cref="CacheEntry.RecordHit"/>), with
/// no lock on the hit path.
/// </summary>
internal sealed class ClockEviction : IEvictionPolicy
{
    private readonly ConcurrentQueue<CacheKey> _clock = new();
    // URLs that hold a slot in the queue, so a URL purged and stored again keeps one slot, not two.
    private readonly ConcurrentDictionary<CacheKey, byte> _queued = new();
    private readonly Lock _lock = new();

    /// <summary>Gives a newly stored URL its slot.</summary>
    public void Admit(CacheEntry entry)
    {
        if (_queued.TryAdd(entry.Key, 0))
        {
            _clock.Enqueue(entry.Key);
        }
        else
        {
            // Its old slot may be near the front: one second chance keeps the new copy from going first.
            entry.RecordHit();
        }
    }

    /// <inheritdoc/>
    public bool EvictFor(CacheKey incoming, long freedByStore, VariantMap urls, ByteBudget budget)
    {
        lock (_lock)
        {
            // Every URL gets at most two turns (one second chance) before the evictor gives up.
            var turns = 2 * _clock.Count + 1;
            while (!budget.Fits(freedByStore) && turns-- > 0 && _clock.TryDequeue(out var key))
            {
                if (!urls.TryGet(key, out var variants))
                {
                    Release(key, urls);
                    continue;
                }
                var referenced = false;
                foreach (var entry in variants)
                {
                    referenced |= entry.TakeReferenced();
                }
                if (referenced || key == incoming)
                {
                    _clock.Enqueue(key);
                    continue;
                }
                if (urls.RemoveUrlIfUnchanged(key, variants))
                {
                    budget.Evicted(variants);
                    Release(key, urls);
                }
                else
                {
                    // Another thread changed the URL's variants meanwhile: keep its slot and look again later.
                    _clock.Enqueue(key);
                }
            }
            return budget.Fits(freedByStore);
        }
    }

    // The URL left its slot; if it was stored again in the meantime it needs the slot back.
    private void Release(CacheKey key, VariantMap urls)
    {
        _queued.TryRemove(key, out _);
        if (urls.Contains(key) && _queued.TryAdd(key, 0))
        {
            _clock.Enqueue(key);
        }
    }
}
