using System.Collections.Concurrent;
using System.Collections.Immutable;
using CdnPlatform.Caching.Invalidation;
using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Storage;

/// <summary>
/// Stored responses in process memory within a byte budget. Each URL holds its variants (one per Vary
/// secondary key), newest first. Lookups are lock-free; the store knows nothing of HTTP: which variant
/// fits a request is the caller's predicate.
/// </summary>
/// <remarks>
/// Eviction is CLOCK (second chance): URLs queue in the order they were first stored; the evictor takes
/// the oldest, and one that was hit since its last turn goes to the back instead of out. That keeps hot
/// objects at the cost of one flag write per hit, with no lock on the hit path.
/// Invalidation by prefix is a <see cref="Ban"/>, checked lazily at lookup and swept in the background.
/// </remarks>
public sealed class MemoryCacheStore
{
    /// <summary>Beyond this many variants of one URL the oldest go: a Vary on a high-cardinality header must not eat the cache.</summary>
    public const int MaxVariantsPerUrl = 32;

    private readonly ConcurrentDictionary<CacheKey, CacheEntry[]> _entries = new();
    private readonly ConcurrentQueue<CacheKey> _clock = new();
    // URLs that hold a slot in the CLOCK queue, so a URL purged and stored again keeps one slot, not two.
    private readonly ConcurrentDictionary<CacheKey, byte> _queued = new();
    private readonly TagIndex _tags = new();
    private readonly Lock _evictionLock = new();
    private readonly TimeProvider _time;
    private ImmutableArray<Ban> _bans = [];
    // Recent invalidations, kept after they are applied so a response fetched before one of them is not stored after it.
    private readonly ConcurrentDictionary<CacheKey, (long Generation, DateTimeOffset At)> _recentKeyInvalidations = new();
    private readonly ConcurrentDictionary<string, (long Generation, DateTimeOffset At)> _recentTagInvalidations = new(StringComparer.Ordinal);
    private ImmutableArray<(Ban Ban, DateTimeOffset At)> _recentBans = [];
    private static readonly TimeSpan InvalidationMemory = TimeSpan.FromMinutes(10);
    private long _generation;
    private long _bytes;
    private int _count;
    private long _evictions;

    public MemoryCacheStore(long capacityBytes, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        CapacityBytes = capacityBytes;
        _time = time ?? TimeProvider.System;
    }

    public long CapacityBytes { get; }

    public long SizeBytes => Interlocked.Read(ref _bytes);

    /// <summary>Stored responses, every variant counted.</summary>
    public int Count => Volatile.Read(ref _count);

    public long Evictions => Interlocked.Read(ref _evictions);

    public int PendingBans => _bans.Length;

    /// <summary>A counter that every store and invalidation advances; read it when an origin request starts (see <see cref="CacheEntry.FetchStartedAt"/>).</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Responses not stored because a purge reached their URL while they were being fetched.</summary>
    public long Superseded => Interlocked.Read(ref _superseded);

    private long _superseded;

    /// <summary>The newest stored response for the URL, whatever its variant.</summary>
    public bool TryGet(CacheKey key, out CacheEntry entry)
    {
        entry = Find(key, static _ => true)!;
        return entry is not null;
    }

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
        var bans = _bans;
        if (!_entries.TryGetValue(key, out var variants))
        {
            return null;
        }
        if (!bans.IsEmpty)
        {
            variants = ApplyBans(key, variants, bans);
        }
        foreach (var entry in variants)
        {
            if (variantMatches(entry, state))
            {
                entry.MarkReferenced();
                return entry;
            }
        }
        return null;
    }

    /// <summary>Whether any response is stored for the URL (tells a URI miss from a Vary miss).</summary>
    public bool Contains(CacheKey key) => _entries.ContainsKey(key);

    /// <summary>
    /// Stores the entry as the newest variant of its URL, replacing one with the same variant key.
    /// Returns false when it cannot fit the budget even after eviction.
    /// </summary>
    public bool TryStore(CacheEntry entry) => Store(entry) == StoreResult.Stored;

    /// <summary>As <see cref="TryStore"/>, telling why an entry was not stored.</summary>
    public StoreResult Store(CacheEntry entry)
    {
        if (entry.FetchStartedAt is { } started && InvalidatedSince(entry, started))
        {
            Interlocked.Increment(ref _superseded);
            return StoreResult.Superseded;
        }
        var size = entry.Size;
        if (size > CapacityBytes)
        {
            return StoreResult.NoRoom;
        }
        // Reserve first: concurrent stores each see the others' reservations and can never overshoot.
        if (Interlocked.Add(ref _bytes, size) > CapacityBytes && !EvictFor(entry.Key, ReplacedSize(entry)))
        {
            Interlocked.Add(ref _bytes, -size);
            return StoreResult.NoRoom;
        }
        entry.Generation = Interlocked.Increment(ref _generation);
        while (true)
        {
            if (_entries.TryGetValue(entry.Key, out var current))
            {
                var next = WithVariant(current, entry, out var dropped);
                if (_entries.TryUpdate(entry.Key, next, current))
                {
                    foreach (var old in dropped)
                    {
                        Forget(old);
                    }
                    Remember(entry);
                    return StoreResult.Stored;
                }
            }
            else if (_entries.TryAdd(entry.Key, [entry]))
            {
                if (_queued.TryAdd(entry.Key, 0))
                {
                    _clock.Enqueue(entry.Key);
                }
                else
                {
                    // Its old slot may be near the front: one second chance keeps the new copy from going first.
                    entry.MarkReferenced();
                }
                Remember(entry);
                return StoreResult.Stored;
            }
        }
    }

    /// <summary>Swaps a stored entry for an updated copy of it (a 304's headers, a soft purge). False if it went meanwhile.</summary>
    public bool Replace(CacheEntry current, CacheEntry updated)
    {
        if (current.Key != updated.Key)
        {
            throw new ArgumentException("an entry can only be replaced by one for the same URL", nameof(updated));
        }
        // The copy is as old as the content it holds: bans issued since the original was stored still apply.
        updated.Generation = current.Generation;
        Interlocked.Add(ref _bytes, updated.Size);
        while (_entries.TryGetValue(current.Key, out var variants))
        {
            var index = Array.IndexOf(variants, current);
            if (index < 0)
            {
                break;
            }
            var next = (CacheEntry[])variants.Clone();
            next[index] = updated;
            if (_entries.TryUpdate(current.Key, next, variants))
            {
                Interlocked.Add(ref _bytes, -current.Size);
                _tags.Add(updated.Key, updated.Tags);
                return true;
            }
        }
        Interlocked.Add(ref _bytes, -updated.Size);
        return false;
    }

    public bool Remove(CacheKey key) => Invalidate(key, soft: false) > 0;

    /// <summary>Removes (hard) or marks stale (soft) every variant stored for the URL.</summary>
    public int Invalidate(CacheKey key, bool soft)
    {
        _recentKeyInvalidations[key] = (Interlocked.Increment(ref _generation), _time.GetUtcNow());
        if (!soft)
        {
            if (_entries.TryRemove(key, out var removed))
            {
                foreach (var entry in removed)
                {
                    Forget(entry);
                }
                return removed.Length;
            }
            return 0;
        }
        var count = 0;
        if (_entries.TryGetValue(key, out var variants))
        {
            var now = _time.GetUtcNow();
            foreach (var entry in variants.Where(e => !e.Invalidated))
            {
                count += Replace(entry, entry.AsInvalidated(now)) ? 1 : 0;
            }
        }
        return count;
    }

    /// <summary>Invalidates what is stored for an absolute URL, under both schemes.</summary>
    public int InvalidateUrl(Uri url, bool soft = false)
    {
        var key = CacheKey.FromUrl(url);
        return Invalidate(key, soft) + Invalidate(key.WithOtherScheme(), soft);
    }

    /// <summary>
    /// Records that everything stored so far whose key starts with <paramref name="keyPrefix"/> is invalid.
    /// Costs nothing now; each entry is dealt with when next looked up or swept.
    /// </summary>
    public void Ban(string keyPrefix, bool soft)
    {
        var ban = new Ban(keyPrefix, Interlocked.Increment(ref _generation), soft);
        ImmutableInterlocked.Update(ref _bans, static (bans, b) => bans.Add(b), ban);
        ImmutableInterlocked.Update(ref _recentBans, static (bans, b) => bans.Add(b), (ban, _time.GetUtcNow()));
    }

    /// <summary>Invalidates every stored response tagged with <paramref name="tag"/>. Returns how many.</summary>
    public int InvalidateTag(string tag, bool soft)
    {
        var count = 0;
        var now = _time.GetUtcNow();
        _recentTagInvalidations[tag] = (Interlocked.Increment(ref _generation), now);
        foreach (var key in _tags.KeysWith(tag).ToArray())
        {
            if (!_entries.TryGetValue(key, out var variants))
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

    /// <summary>Applies every pending ban to every stored entry, then forgets the bans (Varnish's ban lurker).</summary>
    public void SweepBans()
    {
        ForgetOldInvalidations();
        _tags.Prune((key, tag) => _entries.TryGetValue(key, out var variants) && variants.Any(v => v.Tags.Contains(tag, StringComparer.Ordinal)));
        var bans = _bans;
        if (bans.IsEmpty)
        {
            return;
        }
        foreach (var (key, variants) in _entries)
        {
            ApplyBans(key, variants, bans);
        }
        // Bans added during the sweep stay for the next one; entries stored during it are newer than the swept bans.
        ImmutableInterlocked.Update(ref _bans, static (current, swept) => current.RemoveRange(swept), bans);
    }

    /// <summary>Whether the URL, one of the entry's tags, or a ban covering it was invalidated after generation <paramref name="since"/>.</summary>
    private bool InvalidatedSince(CacheEntry entry, long since)
    {
        if (_recentKeyInvalidations.TryGetValue(entry.Key, out var byKey) && byKey.Generation > since)
        {
            return true;
        }
        foreach (var tag in entry.Tags)
        {
            if (_recentTagInvalidations.TryGetValue(tag, out var byTag) && byTag.Generation > since)
            {
                return true;
            }
        }
        foreach (var (ban, _) in _recentBans)
        {
            if (ban.Generation > since && entry.Key.Value.StartsWith(ban.KeyPrefix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    // Fetches do not outlive a few minutes (activity timeouts), so older invalidations can no longer race one.
    private void ForgetOldInvalidations()
    {
        var cutoff = _time.GetUtcNow() - InvalidationMemory;
        foreach (var (key, record) in _recentKeyInvalidations)
        {
            if (record.At < cutoff)
            {
                _recentKeyInvalidations.TryRemove(KeyValuePair.Create(key, record));
            }
        }
        foreach (var (tag, record) in _recentTagInvalidations)
        {
            if (record.At < cutoff)
            {
                _recentTagInvalidations.TryRemove(KeyValuePair.Create(tag, record));
            }
        }
        ImmutableInterlocked.Update(ref _recentBans, static (bans, c) => bans.RemoveAll(b => b.At < c), cutoff);
    }

    /// <summary>
    /// Applies the bans to the URL's variants in the store and returns what the caller may use: never a
    /// hard-banned entry, and a soft-banned one only as stale — whoever else is applying the same bans.
    /// </summary>
    private CacheEntry[] ApplyBans(CacheKey key, CacheEntry[] variants, ImmutableArray<Ban> bans)
    {
        List<CacheEntry>? usable = null;
        var now = _time.GetUtcNow();
        for (var i = 0; i < variants.Length; i++)
        {
            var entry = variants[i];
            var hard = false;
            var soft = false;
            foreach (var ban in bans)
            {
                if (ban.Generation > entry.Generation && key.Value.StartsWith(ban.KeyPrefix, StringComparison.Ordinal))
                {
                    hard |= !ban.Soft;
                    soft |= ban.Soft;
                }
            }
            if (!hard && (!soft || entry.Invalidated))
            {
                usable?.Add(entry);
                continue;
            }
            usable ??= [.. variants.AsSpan(0, i)];
            // A hard ban wins over any soft one; a soft ban leaves an already invalidated entry as it is.
            if (hard)
            {
                RemoveVariant(entry);
            }
            else
            {
                var invalidated = entry.AsInvalidated(now);
                Replace(entry, invalidated);
                usable.Add(invalidated);
            }
        }
        return usable is null ? variants : [.. usable];
    }

    private bool RemoveVariant(CacheEntry entry)
    {
        while (_entries.TryGetValue(entry.Key, out var variants))
        {
            if (Array.IndexOf(variants, entry) < 0)
            {
                return false;
            }
            if (variants.Length == 1)
            {
                if (_entries.TryRemove(KeyValuePair.Create(entry.Key, variants)))
                {
                    Forget(entry);
                    return true;
                }
                continue;
            }
            if (_entries.TryUpdate(entry.Key, variants.Where(v => v != entry).ToArray(), variants))
            {
                Forget(entry);
                return true;
            }
        }
        return false;
    }

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

    // The new entry's bytes were reserved by TryStore; only its count and tags are recorded here.
    private void Remember(CacheEntry entry)
    {
        Interlocked.Increment(ref _count);
        _tags.Add(entry.Key, entry.Tags);
    }

    // The tag index is pruned lazily (PruneTags): another variant of the URL may still carry the same tags.
    private void Forget(CacheEntry entry)
    {
        Interlocked.Add(ref _bytes, -entry.Size);
        Interlocked.Decrement(ref _count);
    }

    // The bytes the same variant already holds: storing the entry frees them.
    private long ReplacedSize(CacheEntry entry) =>
        _entries.TryGetValue(entry.Key, out var variants) ? variants.Where(v => v.VariantKey == entry.VariantKey).Sum(v => v.Size) : 0;

    /// <summary>Evicts until the reserved bytes fit, counting <paramref name="freedByStore"/> as already gone; false if the budget cannot be met.</summary>
    private bool EvictFor(CacheKey incoming, long freedByStore)
    {
        lock (_evictionLock)
        {
            // Every URL gets at most two turns (one second chance) before the evictor gives up.
            var turns = 2 * _clock.Count + 1;
            while (SizeBytes - freedByStore > CapacityBytes && turns-- > 0 && _clock.TryDequeue(out var key))
            {
                if (!_entries.TryGetValue(key, out var variants))
                {
                    _queued.TryRemove(key, out _);
                    // Stored again between the two lines above: it needs its slot back.
                    if (_entries.ContainsKey(key) && _queued.TryAdd(key, 0))
                    {
                        _clock.Enqueue(key);
                    }
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
                if (_entries.TryRemove(KeyValuePair.Create(key, variants)))
                {
                    foreach (var entry in variants)
                    {
                        Forget(entry);
                    }
                    Interlocked.Add(ref _evictions, variants.Length);
                    _queued.TryRemove(key, out _);
                    if (_entries.ContainsKey(key) && _queued.TryAdd(key, 0))
                    {
                        _clock.Enqueue(key);
                    }
                }
                else
                {
                    // Another thread changed the URL's variants meanwhile: keep its slot and look again later.
                    _clock.Enqueue(key);
                }
            }
            return SizeBytes - freedByStore <= CapacityBytes;
        }
    }
}
