using System.Collections.Concurrent;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Eviction;

/// <summary>
/// S3-FIFO over URLs (Yang et al., SOSP '23, "FIFO queues are all you need for cache eviction"). A new URL
/// waits in a small FIFO holding about a tenth of the budget; most URLs are asked for once, and leave from
/// there without ever displacing the ones that earned the main FIFO. One hit while in the small queue earns
/// it; a URL evicted from the small queue is remembered by key in a ghost queue and goes straight to the main
/// one if it comes back. The main FIFO reinserts a URL as long as it has counted hits, spending one per turn.
/// </summary>
/// <remarks>
/// A hit only counts on the entry (<see cref="CacheEntry.RecordHit"/>, at most 3); the queues move only here,
/// under one lock, and at the queue ends. A URL's hit count is the most hits of any of its variants.
/// The small queue's share is measured in bytes, each URL weighed when it enters the queue (its first variant
/// when admitted, all of them when it goes round again): variants added while it waits count toward the whole
/// budget at once but toward the small queue only at its next turn, so its share may read a little low, and
/// then the main queue gives up a URL a little early. What it adds to the small queue's count it takes off
/// exactly, so the count never drifts.
/// </remarks>
internal sealed class S3FifoEviction : IEvictionPolicy
{
    /// <summary>The small queue's share of the budget: the paper's 10 %, which it found to suit its traces widely.</summary>
    public const double SmallQueueShare = 0.1;

    private readonly ConcurrentQueue<(CacheKey Key, long Bytes)> _small = new();
    private readonly ConcurrentQueue<CacheKey> _main = new();
    // URLs that hold a slot in either queue, so a URL purged and stored again keeps one slot, not two.
    private readonly ConcurrentDictionary<CacheKey, byte> _queued = new();
    private readonly GhostQueue _ghost = new();
    private readonly Lock _lock = new();
    private long _smallBytes;

    /// <summary>Bytes of the URLs waiting in the small queue, as weighed when they entered it.</summary>
    internal long SmallBytes => Interlocked.Read(ref _smallBytes);

    /// <summary>Slots in the small queue, including those of URLs purged since (they go at their turn).</summary>
    internal int SmallSlots => _small.Count;

    /// <summary>Slots in the main queue, including those of URLs purged since.</summary>
    internal int MainSlots => _main.Count;

    /// <summary>Keys the ghost queue remembers.</summary>
    internal int GhostKeys => _ghost.Count;

    /// <inheritdoc/>
    public void Admit(CacheEntry entry)
    {
        if (_queued.TryAdd(entry.Key, 0))
        {
            Enter(entry.Key, entry.Size);
        }
        else
        {
            // Purged and stored again while its old slot waits: a store follows a request, so it has been
            // asked for since it came in, which is what a hit says. It takes the old slot with one hit.
            entry.RecordHit();
        }
    }

    /// <inheritdoc/>
    public bool EvictFor(CacheKey incoming, long freedByStore, VariantMap urls, ByteBudget budget)
    {
        lock (_lock)
        {
            var smallShare = SmallShare(budget);
            // A URL untouched meanwhile has a turn in the small queue, then spends its counted hits one turn at a
            // time in the main queue before it goes: this many turns take every URL, or the budget cannot be met.
            var turns = (2 + CacheEntry.MaxHitsCounted) * (_small.Count + _main.Count) + 1;
            while (!budget.Fits(freedByStore) && turns-- > 0)
            {
                if ((SmallBytes >= smallShare || _main.IsEmpty) && _small.TryDequeue(out var waiting))
                {
                    Interlocked.Add(ref _smallBytes, -waiting.Bytes);
                    TakeTurn(waiting.Key, fromSmall: true, incoming, urls, budget);
                }
                else if (_main.TryDequeue(out var key))
                {
                    TakeTurn(key, fromSmall: false, incoming, urls, budget);
                }
                else
                {
                    break;
                }
            }
            return budget.Fits(freedByStore);
        }
    }

    // The URL at the front of a queue leaves if it may; otherwise it goes to the back of the queue it has earned.
    private void TakeTurn(CacheKey key, bool fromSmall, CacheKey incoming, VariantMap urls, ByteBudget budget)
    {
        if (!urls.TryGet(key, out var variants))
        {
            Release(key, urls);
            return;
        }
        var hit = variants.Any(v => v.HitsSinceTurn > 0);
        // Never the URL being stored; and one whose variants changed since they were read stays to be looked at again.
        if (!hit && key != incoming && urls.RemoveUrlIfUnchanged(key, variants))
        {
            budget.Evicted(variants);
            if (fromSmall)
            {
                _ghost.Remember(key, SizeOf(variants), budget.CapacityBytes - SmallShare(budget));
            }
            Release(key, urls);
        }
        else if (fromSmall && hit)
        {
            // Promoted with a clean count: in the main queue it lives on hits it earns there.
            foreach (var entry in variants)
            {
                entry.ForgetHits();
            }
            _main.Enqueue(key);
        }
        else if (fromSmall)
        {
            WaitInSmall(key, SizeOf(variants));
        }
        else
        {
            // Round again, one counted hit spent (none to spend if it stays only as the URL being stored).
            foreach (var entry in variants)
            {
                entry.SpendHit();
            }
            _main.Enqueue(key);
        }
    }

    // New URLs start in the small queue, unless the ghost remembers them: evicted and asked for again, they
    // have shown they are not one-hit wonders.
    private void Enter(CacheKey key, long bytes)
    {
        if (_ghost.TryForget(key))
        {
            _main.Enqueue(key);
        }
        else
        {
            WaitInSmall(key, bytes);
        }
    }

    // Counted before it is queued, so the evictor can never take off what was not yet added.
    private void WaitInSmall(CacheKey key, long bytes)
    {
        Interlocked.Add(ref _smallBytes, bytes);
        _small.Enqueue((key, bytes));
    }

    // The URL left its slot; if it was stored again in the meantime it needs a slot back.
    private void Release(CacheKey key, VariantMap urls)
    {
        _queued.TryRemove(key, out _);
        if (urls.TryGet(key, out var variants) && _queued.TryAdd(key, 0))
        {
            Enter(key, SizeOf(variants));
        }
    }

    private static long SmallShare(ByteBudget budget) => (long)(budget.CapacityBytes * SmallQueueShare);

    private static long SizeOf(CacheEntry[] variants) => variants.Sum(v => v.Size);
}
