using System.Collections.Immutable;
using CdnPlatform.Caching.Eviction;
using CdnPlatform.Caching.Invalidation;
using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Storage;

/// <summary>
/// Stored responses in process memory within a byte budget. Each URL holds its variants (one per Vary
/// secondary key), newest first. Lookups are lock-free; the store knows nothing of HTTP: which variant
/// fits a request is the caller's predicate, and URLs arrive as keys.
/// </summary>
/// <remarks>
/// The store coordinates its parts: the variants (<see cref="VariantMap"/>), the budget and its eviction
/// (<see cref="ByteBudget"/>; <see cref="S3FifoEviction"/> or <see cref="ClockEviction"/>), and invalidation —
/// by URL, by tag through the <see cref="TagIndex"/>, by prefix as a <see cref="Ban"/> checked lazily at lookup
/// and swept in the background — with the <see cref="InvalidationRecord"/> that keeps an overtaken fetch from
/// being stored.
/// Every store and invalidation advances one generation counter, which orders them.
/// </remarks>
public sealed class MemoryCacheStore
{
    /// <summary>Beyond this many variants of one URL the oldest go: a Vary on a high-cardinality header must not eat the cache.</summary>
    public const int MaxVariantsPerUrl = VariantMap.MaxVariantsPerUrl;

    private readonly VariantMap _urls = new();
    private readonly ByteBudget _budget;
    private readonly IEvictionPolicy _evictor;
    private readonly TagIndex _tags = new();
    private readonly BanList _bans = new();
    private readonly InvalidationRecord _recent = new();
    private readonly TimeProvider _time;
    private long _generation;
    private long _superseded;

    /// <param name="capacityBytes">The byte budget.</param>
    /// <param name="time">The clock (the system's by default).</param>
    /// <param name="eviction">
    /// What leaves when the budget is full. S3-FIFO by default: it kept more hits than CLOCK in every case of
    /// bench/eviction (docs/eviction.md), most of all in small caches, at the same hit-path cost.
    /// </param>
    public MemoryCacheStore(long capacityBytes, TimeProvider? time = null, EvictionPolicy eviction = EvictionPolicy.S3Fifo)
    {
        _budget = new ByteBudget(capacityBytes);
        _time = time ?? TimeProvider.System;
        Eviction = eviction;
        _evictor = eviction switch
        {
            EvictionPolicy.S3Fifo => new S3FifoEviction(),
            EvictionPolicy.Clock => new ClockEviction(),
            _ => throw new ArgumentOutOfRangeException(nameof(eviction), eviction, "not an eviction policy"),
        };
    }

    /// <summary>What leaves when the budget is full.</summary>
    public EvictionPolicy Eviction { get; }

    /// <summary>The policy's own state, for tests that look inside it.</summary>
    internal IEvictionPolicy Evictor => _evictor;

    public long CapacityBytes => _budget.CapacityBytes;

    public long SizeBytes => _budget.SizeBytes;

    /// <summary>Stored responses, every variant counted.</summary>
    public int Count => _budget.Count;

    public long Evictions => _budget.Evictions;

    /// <summary>
    /// The managed share (fields, key, bookkeeping: <see cref="CacheEntry.Size"/> less the body) of every entry that
    /// left the store or was replaced, since it was made. Those objects lived long enough to reach the GC's oldest
    /// generation, so they stay in memory until it next collects that one.
    /// </summary>
    public long ReleasedManagedBytes => _budget.ReleasedManagedBytes;

    /// <summary>Prefix bans not yet swept through the whole store (each lookup checks them).</summary>
    public int PendingBans => _bans.Pending.Length;

    /// <summary>A counter that every store and invalidation advances; read it when an origin request starts (see <see cref="CacheEntry.FetchStartedAt"/>).</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Responses not stored because a purge reached their URL while they were being fetched.</summary>
    public long Superseded => Interlocked.Read(ref _superseded);

    /// <summary>The newest variant of the URL that <paramref name="variantMatches"/> accepts, after any pending bans.</summary>
    public CacheEntry? Find(CacheKey key, Func<CacheEntry, bool> variantMatches) =>
        Find(key, variantMatches, static (entry, matches) => matches(entry));

    /// <summary>
    /// As <see cref="Find(CacheKey, Func{CacheEntry, bool})"/>, with the predicate's state passed in so
    /// the hit path allocates no closure.
    /// </summary>
    public CacheEntry? Find<TState>(CacheKey key, TState state, Func<CacheEntry, TState, bool> variantMatches)
    {
        // Bans first: a sweep that removes an entry clears the bans only after, so a lookup that read
        // the entry before the sweep still holds the ban that covers it.
        var bans = _bans.Pending;
        if (!_urls.TryGet(key, out var variants))
        {
            return null;
        }
        if (!bans.IsEmpty)
        {
            variants = ApplyBans(key, variants, bans);
        }
        return FirstMatch(variants, state, variantMatches);
    }

    /// <summary>
    /// As <see cref="Find{TState}(CacheKey, TState, Func{CacheEntry, TState, bool})"/>, by the key's characters
    /// (<see cref="CacheKey.Format"/>) so that a hit makes no key string. While prefix bans are pending the key is made
    /// after all: bans judge it as a string.
    /// </summary>
    public CacheEntry? Find<TState>(ReadOnlySpan<char> key, TState state, Func<CacheEntry, TState, bool> variantMatches)
    {
        if (!_bans.Pending.IsEmpty)
        {
            return Find(CacheKey.FromFormatted(key), state, variantMatches);
        }
        if (!_urls.TryGet(key, out var variants))
        {
            return null;
        }
        return FirstMatch(variants, state, variantMatches);
    }

    // The newest variant the predicate accepts, counted as a hit for eviction.
    private static CacheEntry? FirstMatch<TState>(CacheEntry[] variants, TState state, Func<CacheEntry, TState, bool> variantMatches)
    {
        foreach (var entry in variants)
        {
            if (variantMatches(entry, state))
            {
                entry.RecordHit();
                return entry;
            }
        }
        return null;
    }

    /// <summary>Whether any response is stored for the URL (tells a URI miss from a Vary miss).</summary>
    public bool Contains(CacheKey key) => _urls.Contains(key);

    /// <summary>Stores the entry as the newest variant of its URL, replacing one with the same variant key; says why not otherwise.</summary>
    public StoreResult Store(CacheEntry entry)
    {
        if (entry.FetchStartedAt is { } started && _recent.InvalidatedSince(entry, started))
        {
            Interlocked.Increment(ref _superseded);
            return StoreResult.Superseded;
        }
        var size = entry.Size;
        if (size > _budget.CapacityBytes)
        {
            return StoreResult.NoRoom;
        }
        // Reserve first: concurrent stores each see the others' reservations and can never overshoot.
        if (_budget.ReserveOverflows(size) && !_evictor.EvictFor(entry.Key, ReplacedSize(entry), _urls, _budget))
        {
            _budget.Release(size);
            return StoreResult.NoRoom;
        }
        // The entry's hold on its body, taken before it goes in: once in, anyone may take it out and give that back.
        if (!entry.Body.TryAcquire())
        {
            _budget.Release(size);
            throw new InvalidOperationException("an entry's body was freed before the entry was stored: its creator let go too early");
        }
        entry.Generation = Interlocked.Increment(ref _generation);
        var newUrl = _urls.Insert(entry, out var dropped);
        foreach (var old in dropped)
        {
            _budget.Removed(old);
        }
        if (newUrl)
        {
            _evictor.Admit(entry);
        }
        _budget.Added();
        // The tag index is pruned lazily (SweepBans): another variant of the URL may still carry the same tags.
        _tags.Add(entry.Key, entry.Tags);
        return StoreResult.Stored;
    }

    /// <summary>Swaps a stored entry for an updated copy of it (a 304's headers, a soft purge). False if it went meanwhile.</summary>
    public bool Replace(CacheEntry current, CacheEntry updated)
    {
        if (current.Key != updated.Key)
        {
            throw new ArgumentException("an entry can only be replaced by one for the same URL", nameof(updated));
        }
        // The copy's hold on its body (usually the one it shares with current). Freed means current went meanwhile.
        if (!updated.Body.TryAcquire())
        {
            return false;
        }
        // The copy is as old as the content it holds: bans issued since the original was stored still apply.
        updated.Generation = current.Generation;
        _budget.Reserve(updated.Size);
        if (_urls.Swap(current, updated))
        {
            _budget.Replaced(current);
            current.Body.Release();
            _tags.Add(updated.Key, updated.Tags);
            return true;
        }
        _budget.Release(updated.Size);
        updated.Body.Release();
        return false;
    }

    /// <summary>Removes (hard) or marks stale (soft) every variant stored for the URL. Returns how many.</summary>
    public int Invalidate(CacheKey key, bool soft)
    {
        var now = _time.GetUtcNow();
        _recent.Key(key, Interlocked.Increment(ref _generation), now);
        if (!soft)
        {
            var removed = _urls.RemoveUrl(key) ?? [];
            foreach (var entry in removed)
            {
                _budget.Removed(entry);
            }
            return removed.Length;
        }
        var count = 0;
        if (_urls.TryGet(key, out var variants))
        {
            foreach (var entry in variants)
            {
                count += !entry.Invalidated && Replace(entry, entry.AsInvalidated(now)) ? 1 : 0;
            }
        }
        return count;
    }

    /// <summary>
    /// Records that everything stored so far whose key starts with <paramref name="keyPrefix"/> is invalid.
    /// Costs nothing now; each entry is dealt with when next looked up or swept.
    /// </summary>
    public void Ban(string keyPrefix, bool soft)
    {
        var ban = new Ban(keyPrefix, Interlocked.Increment(ref _generation), soft);
        _bans.Add(ban);
        _recent.Banned(ban, _time.GetUtcNow());
    }

    /// <summary>Invalidates every stored response tagged with <paramref name="tag"/>. Returns how many.</summary>
    public int InvalidateTag(string tag, bool soft)
    {
        var count = 0;
        var now = _time.GetUtcNow();
        _recent.Tag(tag, Interlocked.Increment(ref _generation), now);
        foreach (var key in _tags.KeysWith(tag).ToArray())
        {
            if (!_urls.TryGet(key, out var variants))
            {
                continue;
            }
            foreach (var entry in variants)
            {
                if (!entry.Tags.Contains(tag, StringComparer.Ordinal))
                {
                    continue;
                }
                if (soft)
                {
                    count += !entry.Invalidated && Replace(entry, entry.AsInvalidated(now)) ? 1 : 0;
                }
                else
                {
                    count += RemoveVariant(entry) ? 1 : 0;
                }
            }
        }
        return count;
    }

    /// <summary>Applies every pending ban to every stored entry, then forgets the bans (Varnish's ban lurker); prunes the records.</summary>
    public void SweepBans()
    {
        _recent.ForgetBefore(_time.GetUtcNow() - InvalidationRecord.Memory);
        _tags.Prune((key, tag) => _urls.TryGet(key, out var variants) && variants.Any(v => v.Tags.Contains(tag, StringComparer.Ordinal)));
        var bans = _bans.Pending;
        if (bans.IsEmpty)
        {
            return;
        }
        foreach (var (key, variants) in _urls.Urls)
        {
            ApplyBans(key, variants, bans);
        }
        // Bans added during the sweep stay for the next one; entries stored during it are newer than the swept bans.
        _bans.RemoveSwept(bans);
    }

    /// <summary>
    /// Applies the bans to the URL's variants in the store and returns what the caller may use: never a
    /// hard-banned entry, and a soft-banned one only as stale — whoever else is applying the same bans.
    /// </summary>
    private CacheEntry[] ApplyBans(CacheKey key, CacheEntry[] variants, ImmutableArray<Ban> bans)
    {
        List<CacheEntry>? usable = null;
        for (var i = 0; i < variants.Length; i++)
        {
            var entry = variants[i];
            var verdict = BanList.Judge(key, entry, bans);
            if (verdict == BanVerdict.Keep)
            {
                usable?.Add(entry);
                continue;
            }
            usable ??= [.. variants.AsSpan(0, i)];
            if (verdict == BanVerdict.Remove)
            {
                RemoveVariant(entry);
            }
            else
            {
                var invalidated = entry.AsInvalidated(_time.GetUtcNow());
                Replace(entry, invalidated);
                usable.Add(invalidated);
            }
        }
        return usable is null ? variants : [.. usable];
    }

    private bool RemoveVariant(CacheEntry entry)
    {
        if (!_urls.RemoveVariant(entry))
        {
            return false;
        }
        _budget.Removed(entry);
        return true;
    }

    // The bytes the same variant already holds: storing the entry frees them.
    private long ReplacedSize(CacheEntry entry) =>
        _urls.TryGet(entry.Key, out var variants) ? variants.Where(v => v.VariantKey == entry.VariantKey).Sum(v => v.Size) : 0;
}
