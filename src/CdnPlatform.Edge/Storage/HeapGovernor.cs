using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Edge.Storage;

/// <summary>
/// Keeps the garbage that evictions leave on the GC heap within a share of the cache budget, by asking for a
/// background collection of the oldest generation once enough of it has piled up.
/// </summary>
/// <remarks>
/// Bodies are freed the moment they leave (<see cref="StoredBody"/>), but an entry's fields, key and bookkeeping are
/// managed objects, and they die old: cached for minutes, they reached gen2 long before they are evicted. A
/// generational GC visits gen2 seldom, and less often the more it holds, so under eviction churn the process kept many
/// megabytes of dead entries per live one (bench/memory-budget.sh: RSS grew 1.8 MiB per MiB of budget without this).
/// The GC cannot know what the store knows — how much of gen2 just died — so the store counts it
/// (<see cref="MemoryCacheStore.ReleasedManagedBytes"/>) and this asks for a non-blocking gen2 collection once that
/// passes <see cref="GarbageShare"/> of the budget since the GC's last one. A cache that is not evicting (all hits, or
/// room to spare) never triggers it.
/// </remarks>
internal sealed class HeapGovernor : BackgroundService
{
    /// <summary>The share of the budget the dead entries may hold before a collection is asked for.</summary>
    public const double GarbageShare = 0.05;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly MemoryCacheStore _store;
    private readonly TimeProvider _time;
    private readonly long _threshold;
    private long _releasedAtLastCollection;
    private int _lastCollectionCount = -1;

    public HeapGovernor(MemoryCacheStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        _threshold = (long)(store.CapacityBytes * GarbageShare);
    }

    /// <summary>Collections this governor asked for.</summary>
    public long Collections { get; private set; }

    /// <summary>
    /// One look: true when the managed share released since the GC last collected gen2 passed the threshold (and a
    /// collection is then due). <paramref name="gen2Collections"/> is the GC's own count, which moves when it collected
    /// on its own, or when the collection asked for last time ran.
    /// </summary>
    public bool IsCollectionDue(long releasedManagedBytes, int gen2Collections)
    {
        if (gen2Collections != _lastCollectionCount)
        {
            _lastCollectionCount = gen2Collections;
            _releasedAtLastCollection = releasedManagedBytes;
            return false;
        }
        return releasedManagedBytes - _releasedAtLastCollection > _threshold;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (IsCollectionDue(_store.ReleasedManagedBytes, GC.CollectionCount(2)))
            {
                // Background (concurrent) marking: requests go on while it runs. The count it moves resets the tally.
                GC.Collect(2, GCCollectionMode.Forced, blocking: false);
                Collections++;
            }
        }
    }
}
