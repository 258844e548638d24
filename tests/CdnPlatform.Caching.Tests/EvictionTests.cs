using CdnPlatform.Caching.Eviction;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>
/// Eviction within the byte budget as every policy does it: whole URLs, oldest unhit first, a URL hit since
/// it came in kept over one that was not, never the URL being stored, never past the budget. Run once per
/// policy (<c>Eviction/</c>), where each policy's own behaviours are tested too.
/// </summary>
public abstract class EvictionTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly TestEntries _entries;

    protected EvictionTests() => _entries = new TestEntries(_clock);

    protected abstract EvictionPolicy Policy { get; }

    private protected TestEntries Entries => _entries;

    // Every entry the same size whatever its path and variant key (which count toward Size): the body makes up the rest.
    protected CacheEntry Make(string path, string variant = "")
    {
        var bookkeeping = _entries.Make("http://example.com/" + path, variant, bodyBytes: 0).Size;
        return _entries.Make("http://example.com/" + path, variant, bodyBytes: (int)(EntrySize - bookkeeping));
    }

    private const int EntrySize = 2000;

    /// <summary>A budget for exactly <paramref name="entries"/> of the equal-sized entries above.</summary>
    protected MemoryCacheStore StoreFor(int entries) => new(entries * Make("x").Size, _clock, Policy);

    /// <summary>A budget for <paramref name="entries"/> of the equal-sized entries, holding <paramref name="stored"/>, stored in that order.</summary>
    protected MemoryCacheStore StoreHolding(int entries, params CacheEntry[] stored)
    {
        var store = StoreFor(entries);
        foreach (var entry in stored)
        {
            Assert.True(store.TryStore(entry));
        }
        return store;
    }

    /// <summary>That the store still holds the URLs of <paramref name="kept"/> and none of <paramref name="gone"/>.</summary>
    protected static void AssertHolds(MemoryCacheStore store, CacheEntry[] kept, CacheEntry[] gone)
    {
        Assert.All(kept, entry => Assert.True(store.Contains(entry.Key), $"{entry.Key} was evicted"));
        Assert.All(gone, entry => Assert.False(store.Contains(entry.Key), $"{entry.Key} is still held"));
    }

    /// <summary>Looks up each entry's URL, as a hit on it would.</summary>
    protected static void Hit(MemoryCacheStore store, params CacheEntry[] entries)
    {
        foreach (var entry in entries)
        {
            Assert.NotNull(store.Find(entry.Key, _ => true));
        }
    }

    [Fact]
    public void Eviction_TakesTheOldestUnreferencedUrlFirst()
    {
        var a = Make("a");
        var b = Make("b");
        var c = Make("c");
        var store = StoreHolding(3, a, b, c);

        Assert.True(store.TryStore(Make("d")));
        Assert.True(store.TryStore(Make("e")));

        Assert.False(store.Contains(a.Key));
        Assert.False(store.Contains(b.Key));
        Assert.True(store.Contains(c.Key));
        Assert.Equal(2, store.Evictions);
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public void Eviction_SkipsReferencedEntryOnce()
    {
        var a = Make("a");
        var b = Make("b");
        var store = StoreHolding(2, a, b);
        Hit(store, a, b);

        // Both were hit: each gets one pass, then the oldest goes after all.
        Assert.True(store.TryStore(Make("c")));

        Assert.False(store.Contains(a.Key));
        Assert.True(store.Contains(b.Key));
        Assert.Equal(1, store.Evictions);
    }

    [Fact]
    public void Eviction_AHitOnAnyVariantSparesTheWholeUrl()
    {
        var b = Make("b");
        var store = StoreHolding(3, Make("a", "gzip"), Make("a", "br"), b);
        TestEntries.FindVariant(store, "http://example.com/a", "gzip");

        Assert.True(store.TryStore(Make("c")));

        Assert.NotNull(TestEntries.FindVariant(store, "http://example.com/a", "gzip"));
        Assert.NotNull(TestEntries.FindVariant(store, "http://example.com/a", "br"));
        Assert.False(store.Contains(b.Key));
    }

    [Fact]
    public void Eviction_RemovesEveryVariantOfTheUrl_AndCountsEach()
    {
        var store = StoreFor(3);
        store.TryStore(Make("a", "gzip"));
        store.TryStore(Make("a", "br"));
        var b = Make("b");
        store.TryStore(b);
        var c = Make("c");

        Assert.True(store.TryStore(c));

        Assert.False(store.Contains(TestEntries.Key("http://example.com/a")));
        Assert.Equal(2, store.Evictions);
        Assert.Equal(2, store.Count);
        Assert.Equal(b.Size + c.Size, store.SizeBytes);
    }

    [Fact]
    public void Eviction_NeverTakesTheUrlBeingStored()
    {
        var store = StoreFor(3);
        var aGzip = Make("a", "gzip");
        var other = Make("b");
        store.TryStore(aGzip);
        store.TryStore(other);
        store.TryStore(Make("c"));
        var aBr = Make("a", "br");

        Assert.True(store.TryStore(aBr)); // a is the oldest, but it is the URL being stored

        Assert.Same(aGzip, TestEntries.FindVariant(store, "http://example.com/a", "gzip"));
        Assert.Same(aBr, TestEntries.FindVariant(store, "http://example.com/a", "br"));
        Assert.False(store.Contains(other.Key));
    }

    [Fact]
    public void Eviction_WhenOnlyTheIncomingUrlCouldMakeRoom_RefusesTheStoreAndKeepsTheBudget()
    {
        var store = StoreFor(1);
        var gzip = Make("a", "gzip");
        store.TryStore(gzip);

        Assert.False(store.TryStore(Make("a", "br")));

        Assert.Same(gzip, TestEntries.FindVariant(store, "http://example.com/a", "gzip"));
        Assert.Equal(gzip.Size, store.SizeBytes);
        Assert.Equal(0, store.Evictions);
    }

    [Fact]
    public void Eviction_ReplacingTheSameVariantInAFullBudget_EvictsNothing()
    {
        var store = StoreFor(2);
        var a = Make("a");
        var b = Make("b");
        store.TryStore(a);
        store.TryStore(b);
        var a2 = Make("a");

        Assert.True(store.TryStore(a2));

        Assert.Equal(0, store.Evictions);
        Assert.Same(b, store.Find(b.Key, _ => true));
        Assert.Same(a2, store.Find(a.Key, _ => true));
        Assert.Equal(a2.Size + b.Size, store.SizeBytes);
    }

    [Fact]
    public void Eviction_ARemovedUrlNoLongerTakesATurn()
    {
        var store = StoreFor(2);
        var a = Make("a");
        var b = Make("b");
        store.TryStore(a);
        store.TryStore(b);
        store.Remove(a.Key);
        store.TryStore(Make("c"));

        Assert.True(store.TryStore(Make("d")));

        Assert.False(store.Contains(b.Key)); // the oldest stored URL, not a freed slot
        Assert.Equal(1, store.Evictions);
    }

    [Fact]
    public void Eviction_AUrlPurgedAndStoredAgain_QueuesBehindOlderUrls()
    {
        var store = StoreFor(2);
        var a = Make("a");
        var b = Make("b");
        store.TryStore(a);
        store.TryStore(b);
        store.Remove(a.Key);
        var aAgain = Make("a");
        store.TryStore(aAgain);

        Assert.True(store.TryStore(Make("c")));

        Assert.False(store.Contains(b.Key)); // b has been stored longest
        Assert.Same(aAgain, store.Find(aAgain.Key, _ => true));
    }

    [Fact]
    public void Eviction_UnderSteadyChurn_NeverExceedsTheBudget()
    {
        var store = StoreFor(10);
        for (var i = 0; i < 500; i++)
        {
            Assert.True(store.TryStore(_entries.Make($"http://example.com/{i}", bodyBytes: 500 + i % 700)));
            if (i % 3 == 0)
            {
                store.Find(TestEntries.Key($"http://example.com/{i / 2}"), _ => true);
            }
            Assert.True(store.SizeBytes <= store.CapacityBytes);
        }
        var remaining = Enumerable.Range(0, 500).Select(i => store.Find(TestEntries.Key($"http://example.com/{i}"), _ => true)).OfType<CacheEntry>().ToArray();
        Assert.Equal(remaining.Length, store.Count);
        Assert.Equal(remaining.Sum(e => e.Size), store.SizeBytes);
        Assert.Equal(500 - remaining.Length, store.Evictions);
    }

    [Fact]
    public void ConcurrentStoresUnderEviction_KeepSizeBytesWithinBudgetAndEqualToWhatRemains()
    {
        var store = StoreFor(8);
        Concurrently.Run(4, t =>
        {
            for (var i = 0; i < 500; i++)
            {
                var url = $"http://example.com/{(t * 500 + i) % 40}";
                store.TryStore(_entries.Make(url, $"v{i % 2}", bodyBytes: 800 + (i % 5) * 100));
                store.Find(TestEntries.Key($"http://example.com/{i % 40}"), _ => true);
            }
        });

        var remaining = Enumerable.Range(0, 40)
            .SelectMany(u => new[] { "v0", "v1" }.Select(v => TestEntries.FindVariant(store, $"http://example.com/{u}", v)))
            .OfType<CacheEntry>().ToArray();
        Assert.NotEmpty(remaining);
        Assert.Equal(remaining.Length, store.Count);
        Assert.Equal(remaining.Sum(e => e.Size), store.SizeBytes);
        Assert.True(store.SizeBytes <= store.CapacityBytes); // reservations may pass the budget for a moment; the settled state may not
    }

    [Fact]
    public void ConcurrentStoresOfOneUrlDuringEviction_LeaveEveryUrlEvictable()
    {
        // After the race, a store that needs the whole budget must be able to evict everything left.
        for (var round = 0; round < 200; round++)
        {
            var store = StoreFor(4);
            Concurrently.Run(
                () =>
                {
                    for (var i = 0; i < 300; i++)
                    {
                        store.TryStore(Make("hot", $"v{i % 2}"));
                    }
                },
                () =>
                {
                    for (var i = 0; i < 300; i++)
                    {
                        store.TryStore(Make($"cold{i}"));
                    }
                });

            var whole = _entries.Make("http://example.com/whole",
                bodyBytes: (int)(store.CapacityBytes - _entries.Make("http://example.com/whole", bodyBytes: 0).Size));
            Assert.Equal(store.CapacityBytes, whole.Size);
            Assert.True(store.TryStore(whole), $"round {round}: {store.Count} entries ({store.SizeBytes} bytes) could not be evicted");
            Assert.Equal(1, store.Count);
        }
    }
}
