using CdnPlatform.Caching.Eviction;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Tests.Eviction;

/// <summary>
/// S3-FIFO: new URLs wait in a small queue (a tenth of the budget) and leave from there unless hit; a hit earns
/// the main queue, where each counted hit buys one more turn; a URL evicted from the small queue and stored
/// again goes straight to main. With equal entries and a budget of a few, one entry is past the small share.
/// </summary>
public sealed class S3FifoEvictionTests : EvictionTests
{
    protected override EvictionPolicy Policy => EvictionPolicy.S3Fifo;

    private static S3FifoEviction Queues(MemoryCacheStore store) => (S3FifoEviction)store.Evictor;

    private static CacheKey Key(string path) => TestEntries.Key("http://example.com/" + path);

    /// <summary>An entry that costs the budget exactly <paramref name="entries"/> of the equal-sized ones.</summary>
    private CacheEntry Sized(string path, int entries) =>
        Entries.Make("http://example.com/" + path, bodyBytes: (int)(entries * Make("x").Size - Make("x").Size + 1000));

    [Fact]
    public void OneHitWonders_LeaveFromTheSmallQueue_WithoutDisplacingAUrlInMain()
    {
        var hot = Make("hot");
        var store = StoreHolding(3, hot);
        Hit(store, hot);
        store.TryStore(Make("b"));
        store.TryStore(Make("c"));
        store.TryStore(Make("d")); // hot, hit in the small queue, moves to main; b leaves

        for (var i = 0; i < 10; i++)
        {
            Assert.True(store.TryStore(Make($"once{i}")));
        }

        // Never hit again, yet ten newer URLs went before it (CLOCK takes it on the second).
        Assert.True(store.Contains(hot.Key));
        Assert.Equal(11, store.Evictions);
        Assert.Equal(1, Queues(store).MainSlots);
    }

    [Fact]
    public void AUrlHitInTheSmallQueue_MovesToMain_AndAnUnhitOneLeaves()
    {
        var a = Make("a");
        var b = Make("b");
        var c = Make("c");
        var store = StoreHolding(2, a, b);
        Hit(store, a);

        Assert.True(store.TryStore(c));

        Assert.True(store.Contains(a.Key));
        Assert.False(store.Contains(b.Key));
        var queues = Queues(store);
        Assert.Equal(1, queues.MainSlots);
        Assert.Equal(1, queues.SmallSlots);
        Assert.Equal(c.Size, queues.SmallBytes);
        Assert.Equal(1, queues.GhostKeys); // b
    }

    [Fact]
    public void AUrlEvictedFromTheSmallQueue_AndStoredAgain_EntersMainDirectly()
    {
        // Three entries: the ghost (main's share, 90 %) remembers two.
        var a = Make("a");
        var store = StoreHolding(3, a, Make("b"), Make("c"));
        store.TryStore(Make("d")); // a leaves, remembered by the ghost
        Assert.False(store.Contains(a.Key));
        Assert.Equal(1, Queues(store).GhostKeys);

        var again = Make("a");
        Assert.True(store.TryStore(again)); // b leaves from the small queue; c and d wait there
        Assert.Equal(1, Queues(store).MainSlots);
        Assert.Equal(2, Queues(store).SmallSlots);
        Assert.Equal(1, Queues(store).GhostKeys); // b; a was forgotten on its way back

        foreach (var path in new[] { "e", "f", "g" })
        {
            Assert.True(store.TryStore(Make(path))); // c, d, e leave
        }

        // Never hit, but in main: had it come back to the small queue, behind c and d, g would have taken it.
        Assert.Same(again, store.Find(again.Key, _ => true));
        Assert.False(store.Contains(Key("e")));
    }

    [Fact]
    public void AUrlEvictedFromMain_IsNotRemembered_AndComesBackToTheSmallQueue()
    {
        // Three entries: the ghost would have room for two keys.
        CacheEntry[] hit = [Make("a"), Make("b"), Make("x")];
        var store = StoreHolding(3, hit);
        Hit(store, hit);
        store.TryStore(Make("c")); // all three move to main, then a, unhit there, leaves from main

        Assert.True(store.TryStore(Make("a"))); // c leaves from the small queue, for the ghost

        var queues = Queues(store);
        Assert.Equal(2, queues.MainSlots); // b, x
        Assert.Equal(1, queues.SmallSlots); // a, new again
        Assert.Equal(1, queues.GhostKeys); // c
    }

    [Fact]
    public void Main_ReinsertsAUrlOnceForEachCountedHit()
    {
        var a = Make("a");
        var b = Make("b");
        var c = Make("c");
        var d = Make("d");
        var e = Make("e");
        var store = StoreHolding(5, a, b, c, d, Make("x"));
        Hit(store, a, b, c, d);
        store.TryStore(e); // a..d move to main with their counts cleared; x leaves
        Hit(store, a, a, a, c);

        // Room for three more: e leaves from the small queue, then main goes round: a (3 → 2), b out, c (1 → 0), d out.
        Assert.True(store.TryStore(Sized("big", 3)));

        AssertHolds(store, kept: [a, c], gone: [b, d, e]);
        Assert.Equal(2, a.HitsSinceTurn);
        Assert.Equal(0, c.HitsSinceTurn);
    }

    [Fact]
    public void WhileTheSmallQueueHoldsLessThanItsShare_MainGivesUpItsOldest()
    {
        var urls = Enumerable.Range(0, 20).Select(i => Make($"u{i}")).ToArray();
        var store = StoreHolding(20, urls); // the small queue's share: two entries
        Hit(store, urls[..19]);

        Assert.True(store.TryStore(Make("n0")));

        // u0..u18 moved to main, leaving u19 alone in the small queue, under its share: main's oldest paid.
        Assert.False(store.Contains(urls[0].Key));
        Assert.True(store.Contains(urls[19].Key));

        Assert.True(store.TryStore(Make("n1")));

        // Now the small queue holds its share (u19, n0) and its oldest goes.
        Assert.False(store.Contains(urls[19].Key));
        Assert.True(store.Contains(urls[1].Key));
    }

    [Fact]
    public void Eviction_NeverTakesTheUrlBeingStored_FromMainEither()
    {
        var x = Make("x");
        var c = Make("c");
        var store = StoreHolding(3, Make("a", "gzip"), Make("b"), x);
        store.TryStore(c); // a leaves for the ghost
        var aGzip = Make("a", "gzip");
        store.TryStore(aGzip); // a back, into main with no hits; b leaves
        Hit(store, x, c);
        var aBr = Make("a", "br");

        // x and c move to main behind a, emptying the small queue; main's oldest is a, unhit, but it is the
        // URL being stored: it goes round, and x goes.
        Assert.True(store.TryStore(aBr));

        Assert.Same(aGzip, TestEntries.FindVariant(store, "http://example.com/a", "gzip"));
        Assert.Same(aBr, TestEntries.FindVariant(store, "http://example.com/a", "br"));
        Assert.False(store.Contains(x.Key));
        Assert.True(store.Contains(c.Key));
    }

    [Fact]
    public void PurgedUrls_LeaveTheQueuesAtTheirTurn_TakingTheirBytesWithThem()
    {
        string[] purged = ["a", "b", "c", "d"];
        var store = StoreHolding(4, [.. purged.Select(path => Make(path))]);
        foreach (var path in purged)
        {
            store.Remove(Key(path));
        }
        Assert.Equal(4, Queues(store).SmallSlots); // a purge costs the queues nothing now

        foreach (var path in new[] { "e", "f", "g", "h", "i" })
        {
            Assert.True(store.TryStore(Make(path)));
        }

        // i's store passed the four purged slots, then e went: four URLs, four slots, their bytes and no more.
        var queues = Queues(store);
        Assert.Equal(4, store.Count);
        Assert.Equal(4, queues.SmallSlots);
        Assert.Equal(0, queues.MainSlots);
        Assert.Equal(store.SizeBytes, queues.SmallBytes);
        Assert.Equal(1, store.Evictions);
    }

    [Fact]
    public void AUrlPurgedAndStoredAgainAndAgain_KeepsOneSlot()
    {
        var store = StoreFor(4);
        for (var i = 0; i < 50; i++)
        {
            store.TryStore(Make("a"));
            store.Remove(Key("a"));
        }
        var a = Make("a");
        store.TryStore(a);

        Assert.Equal(1, Queues(store).SmallSlots);
        Assert.Equal(a.Size, Queues(store).SmallBytes);
    }

    [Fact]
    public void AfterChurn_WithPurgesReplacementsAndVariants_AStoreOfTheWholeBudgetLeavesOnlyItself()
    {
        // Whatever came and went, the queues hold one slot per URL and the small queue's bytes do not drift.
        var store = StoreFor(6);
        var random = new Random(14);
        for (var i = 0; i < 3000; i++)
        {
            var path = $"u{random.Next(12)}";
            switch (random.Next(6))
            {
                case 0:
                    store.Remove(Key(path));
                    break;
                case 1:
                    store.Invalidate(Key(path), soft: true);
                    break;
                case 2:
                case 3:
                    store.Find(Key(path), _ => true);
                    break;
                default:
                    store.TryStore(Entries.Make("http://example.com/" + path, $"v{random.Next(3)}", bodyBytes: 200 + random.Next(1500)));
                    break;
            }
            Assert.True(store.SizeBytes <= store.CapacityBytes);
        }
        Assert.True(store.Evictions > 100, $"only {store.Evictions} evictions: the churn did not test eviction");
        var whole = Sized("whole", 6);

        Assert.True(store.TryStore(whole));

        var queues = Queues(store);
        Assert.Equal(1, store.Count);
        Assert.Equal(whole.Size, store.SizeBytes);
        Assert.Equal(1, queues.SmallSlots);
        Assert.Equal(0, queues.MainSlots);
        Assert.Equal(whole.Size, queues.SmallBytes);
    }
}
