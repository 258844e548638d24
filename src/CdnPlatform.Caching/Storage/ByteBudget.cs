namespace CdnPlatform.Caching.Storage;

/// <summary>
/// The store's memory budget: bytes and entries held, counted with interlocked operations so concurrent
/// stores see each other's reservations and together can never overshoot.
/// </summary>
internal sealed class ByteBudget
{
    private long _bytes;
    private int _count;
    private long _evictions;
    private long _releasedManaged;

    public ByteBudget(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    public long SizeBytes => Interlocked.Read(ref _bytes);

    public int Count => Volatile.Read(ref _count);

    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>The managed share (everything but the body) of every entry that left, since the budget was made.</summary>
    public long ReleasedManagedBytes => Interlocked.Read(ref _releasedManaged);

    /// <summary>Reserves the bytes now; true when that took the store past its budget (someone must evict or give them back).</summary>
    public bool ReserveOverflows(long bytes) => Interlocked.Add(ref _bytes, bytes) > CapacityBytes;

    public void Reserve(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void Release(long bytes) => Interlocked.Add(ref _bytes, -bytes);

    /// <summary>Whether what is held fits, counting <paramref name="aboutToBeFreed"/> bytes as already gone.</summary>
    public bool Fits(long aboutToBeFreed = 0) => SizeBytes - aboutToBeFreed <= CapacityBytes;

    /// <summary>An entry went in (its bytes were reserved before).</summary>
    public void Added() => Interlocked.Increment(ref _count);

    /// <summary>An entry went out: its bytes, its place in the count and its hold on the body come back.</summary>
    /// <remarks>Called exactly once per entry, by whoever took it out of the map, so the body's reference goes back once.</remarks>
    public void Removed(CacheEntry entry)
    {
        Replaced(entry);
        Interlocked.Decrement(ref _count);
        entry.Body.Release();
    }

    /// <summary>An entry gave its place to an updated copy (which was reserved for): its bytes come back.</summary>
    public void Replaced(CacheEntry entry)
    {
        var size = entry.Size;
        Interlocked.Add(ref _bytes, -size);
        Interlocked.Add(ref _releasedManaged, size - entry.Body.Length);
    }

    /// <summary>A URL was evicted: each of its variants went out, and each counts as an eviction.</summary>
    public void Evicted(CacheEntry[] variants)
    {
        foreach (var entry in variants)
        {
            Removed(entry);
        }
        Interlocked.Add(ref _evictions, variants.Length);
    }
}
