using CdnPlatform.Caching.Eviction;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>The store's contract, run once per eviction policy (<c>Eviction/</c>): every policy must keep it.</summary>
public abstract class MemoryCacheStoreTests
{
    private readonly FakeTimeProvider _clock = new();

    protected abstract EvictionPolicy Policy { get; }

    private MemoryCacheStore NewStore(long capacityBytes) => new(capacityBytes, _clock, Policy);

    private CacheEntry Entry(string url, int bodyBytes = 100, TimeSpan? lifetime = null, byte fill = 0)
    {
        var body = new byte[bodyBytes];
        Array.Fill(body, fill);
        return new CacheEntry
        {
            Key = CacheKey.FromUrl(new Uri(url)),
            StatusCode = 200,
            Headers = [KeyValuePair.Create("Content-Type", new[] { "text/plain" })],
            Body = body,
            ResponseTime = _clock.GetUtcNow(),
            CorrectedInitialAge = TimeSpan.Zero,
            FreshnessLifetime = lifetime ?? TimeSpan.FromMinutes(1),
        };
    }

    private static CacheKey Key(string url) => CacheKey.FromUrl(new Uri(url));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_NonPositiveCapacity_Throws(long capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewStore(capacity));
    }

    [Fact]
    public void NewStore_IsEmpty()
    {
        var store = NewStore(1000);

        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.SizeBytes);
        Assert.Equal(1000, store.CapacityBytes);
    }

    [Fact]
    public void TryGet_AfterTryStore_ReturnsTheEntry()
    {
        var store = NewStore(10_000);
        var entry = Entry("http://example.com/a");

        Assert.True(store.TryStore(entry));

        Assert.True(store.TryGet(Key("http://example.com/a"), out var found));
        Assert.Same(entry, found);
        Assert.Equal(1, store.Count);
        Assert.Equal(entry.Size, store.SizeBytes);
    }

    [Fact]
    public void TryGet_EquivalentUrlSpelling_FindsTheEntry()
    {
        var store = NewStore(10_000);
        var entry = Entry("http://example.com/a");
        store.TryStore(entry);

        Assert.True(store.TryGet(Key("HTTP://EXAMPLE.com:80/a"), out var found));
        Assert.Same(entry, found);
    }

    [Fact]
    public void TryGet_UnknownKey_ReturnsFalse()
    {
        var store = NewStore(10_000);
        store.TryStore(Entry("http://example.com/a"));

        Assert.False(store.TryGet(Key("http://example.com/b"), out _));
        Assert.False(store.TryGet(Key("https://example.com/a"), out _));
    }

    [Fact]
    public void SizeBytes_IsSumOfEntrySizes()
    {
        var store = NewStore(10_000);
        var a = Entry("http://example.com/a", 100);
        var b = Entry("http://example.com/b", 300);

        store.TryStore(a);
        store.TryStore(b);

        Assert.Equal(a.Size + b.Size, store.SizeBytes);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void TryStore_SameKey_ReplacesEntryAndKeepsSizeBytesRight()
    {
        var store = NewStore(10_000);
        var small = Entry("http://example.com/a", 100);
        var large = Entry("http://example.com/a", 900, fill: 1);
        var other = Entry("http://example.com/b", 50);
        store.TryStore(other);
        store.TryStore(small);

        Assert.True(store.TryStore(large));

        Assert.True(store.TryGet(large.Key, out var found));
        Assert.Same(large, found);
        Assert.Equal(2, store.Count);
        Assert.Equal(other.Size + large.Size, store.SizeBytes);
    }

    [Fact]
    public void TryStore_ReplacingWithSmallerEntry_ShrinksSizeBytes()
    {
        var store = NewStore(10_000);
        var large = Entry("http://example.com/a", 900);
        var small = Entry("http://example.com/a", 100);
        store.TryStore(large);

        Assert.True(store.TryStore(small));

        Assert.Equal(small.Size, store.SizeBytes);
    }

    [Fact]
    public void TryStore_EntryLargerThanCapacity_IsRefused()
    {
        var entry = Entry("http://example.com/a", 1000);
        var store = NewStore(entry.Size - 1);

        Assert.False(store.TryStore(entry));

        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.SizeBytes);
        Assert.False(store.TryGet(entry.Key, out _));
    }

    [Fact]
    public void TryStore_EntryExactlyFillingCapacity_IsStored()
    {
        var entry = Entry("http://example.com/a", 1000);
        var store = NewStore(entry.Size);

        Assert.True(store.TryStore(entry));
        Assert.Equal(store.CapacityBytes, store.SizeBytes);
    }

    [Fact]
    public void TryStore_WhenBudgetFull_EvictsTheOldestUnreferencedEntry()
    {
        var first = Entry("http://example.com/a", 600);
        var second = Entry("http://example.com/b", 600);
        var store = NewStore(first.Size + second.Size - 1);
        store.TryStore(first);

        Assert.True(store.TryStore(second));

        Assert.False(store.Contains(first.Key));
        Assert.True(store.Contains(second.Key));
        Assert.Equal(second.Size, store.SizeBytes);
        Assert.Equal(1, store.Evictions);
    }

    [Fact]
    public void TryStore_WhenBudgetFull_GivesAnEntryHitSinceItsLastTurnASecondChance()
    {
        var a = Entry("http://example.com/a", 600);
        var b = Entry("http://example.com/b", 600);
        var c = Entry("http://example.com/c", 600);
        var store = NewStore(a.Size + b.Size + 10);
        store.TryStore(a);
        store.TryStore(b);
        Assert.NotNull(store.Find(a.Key, _ => true)); // a hit: a is referenced, b is not

        Assert.True(store.TryStore(c));

        Assert.True(store.Contains(a.Key));
        Assert.False(store.Contains(b.Key));
        Assert.True(store.Contains(c.Key));
    }

    [Fact]
    public void TryStore_EntryLargerThanTheWholeBudget_IsRefusedWithoutEvictingAnything()
    {
        var small = Entry("http://example.com/a", 100);
        var huge = Entry("http://example.com/b", 5000);
        var store = NewStore(small.Size + 10);
        store.TryStore(small);

        Assert.False(store.TryStore(huge));

        Assert.True(store.Contains(small.Key));
        Assert.Equal(0, store.Evictions);
    }

    [Fact]
    public void TryStore_ReplacementThatFitsOnlyOnceOldEntryIsGone_IsStored()
    {
        var old = Entry("http://example.com/a", 600);
        var replacement = Entry("http://example.com/a", 700);
        var store = NewStore(replacement.Size + 10);
        store.TryStore(old);

        Assert.True(store.TryStore(replacement));
        Assert.Equal(replacement.Size, store.SizeBytes);
    }

    [Fact]
    public void TryStore_ReplacementTooLarge_IsRefusedAndOldEntryKept()
    {
        var old = Entry("http://example.com/a", 100);
        var replacement = Entry("http://example.com/a", 5000);
        var store = NewStore(1000);
        store.TryStore(old);

        Assert.False(store.TryStore(replacement));

        Assert.True(store.TryGet(old.Key, out var found));
        Assert.Same(old, found);
        Assert.Equal(old.Size, store.SizeBytes);
    }

    [Fact]
    public void Remove_StoredKey_RemovesItAndFreesItsBytes()
    {
        var store = NewStore(10_000);
        var a = Entry("http://example.com/a");
        var b = Entry("http://example.com/b", 200);
        store.TryStore(a);
        store.TryStore(b);

        Assert.True(store.Remove(a.Key));

        Assert.False(store.TryGet(a.Key, out _));
        Assert.Equal(1, store.Count);
        Assert.Equal(b.Size, store.SizeBytes);
    }

    [Fact]
    public void Remove_UnknownKey_ReturnsFalseAndChangesNothing()
    {
        var store = NewStore(10_000);
        var a = Entry("http://example.com/a");
        store.TryStore(a);

        Assert.False(store.Remove(Key("http://example.com/zzz")));
        Assert.Equal(a.Size, store.SizeBytes);
    }

    [Fact]
    public void Remove_FreesBudgetForNewEntries()
    {
        var a = Entry("http://example.com/a", 800);
        var b = Entry("http://example.com/b", 800);
        var store = NewStore(a.Size + 10);
        store.TryStore(a);

        store.Remove(a.Key);

        Assert.Equal(0, store.SizeBytes);
        Assert.True(store.TryStore(b));
        Assert.Equal(0, store.Evictions);
    }

    [Fact]
    public void InvalidateUrl_RemovesHttpAndHttpsVariantsAndReturnsTwo()
    {
        var store = NewStore(10_000);
        store.TryStore(Entry("http://example.com/a?x=1"));
        store.TryStore(Entry("https://example.com/a?x=1"));

        Assert.Equal(2, store.InvalidateUrl(new Uri("http://example.com/a?x=1")));

        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.SizeBytes);
    }

    [Fact]
    public void InvalidateUrl_HttpsUrl_AlsoRemovesHttpVariant()
    {
        var store = NewStore(10_000);
        store.TryStore(Entry("http://example.com/a"));

        Assert.Equal(1, store.InvalidateUrl(new Uri("https://example.com/a")));
        Assert.False(store.TryGet(Key("http://example.com/a"), out _));
    }

    [Fact]
    public void InvalidateUrl_OnlyOneVariantStored_ReturnsOne()
    {
        var store = NewStore(10_000);
        store.TryStore(Entry("https://example.com/a"));

        Assert.Equal(1, store.InvalidateUrl(new Uri("http://example.com/a")));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void InvalidateUrl_NothingStored_ReturnsZero()
    {
        var store = NewStore(10_000);
        store.TryStore(Entry("http://example.com/a"));

        Assert.Equal(0, store.InvalidateUrl(new Uri("http://example.com/b")));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void InvalidateUrl_LeavesOtherPathsQueriesAndHostsAlone()
    {
        var store = NewStore(10_000);
        store.TryStore(Entry("http://example.com/a"));
        store.TryStore(Entry("http://example.com/a?v=2"));
        store.TryStore(Entry("http://example.com/A"));
        store.TryStore(Entry("http://other.example.com/a"));
        store.TryStore(Entry("http://example.com:8080/a"));

        Assert.Equal(1, store.InvalidateUrl(new Uri("http://example.com/a")));

        Assert.Equal(4, store.Count);
        Assert.False(store.TryGet(Key("http://example.com/a"), out _));
    }

    [Fact]
    public void InvalidateUrl_UrlSpelledWithUppercaseHostAndDefaultPort_MatchesStoredEntries()
    {
        var store = NewStore(10_000);
        store.TryStore(Entry("http://example.com/a"));
        store.TryStore(Entry("https://example.com/a"));

        Assert.Equal(2, store.InvalidateUrl(new Uri("HTTPS://EXAMPLE.COM:443/a")));
    }

    [Fact]
    public void InvalidateUrl_NonDefaultPort_RemovesBothSchemesOnThatPort()
    {
        var store = NewStore(10_000);
        store.TryStore(Entry("http://example.com:8080/a"));
        store.TryStore(Entry("https://example.com:8080/a"));
        store.TryStore(Entry("http://example.com/a"));

        Assert.Equal(2, store.InvalidateUrl(new Uri("http://example.com:8080/a")));
        Assert.True(store.TryGet(Key("http://example.com/a"), out _));
    }

    [Fact]
    public void StoredEntry_BecomesStaleAsClockMoves()
    {
        var store = NewStore(10_000);
        store.TryStore(Entry("http://example.com/a", lifetime: TimeSpan.FromSeconds(30)));

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(store.TryGet(Key("http://example.com/a"), out var entry));
        Assert.True(entry.IsFresh(_clock.GetUtcNow()));
        Assert.Equal(TimeSpan.FromSeconds(20), entry.TimeToLive(_clock.GetUtcNow()));

        _clock.Advance(TimeSpan.FromSeconds(25));
        Assert.True(store.TryGet(Key("http://example.com/a"), out entry));
        Assert.False(entry.IsFresh(_clock.GetUtcNow()));
        Assert.Equal(TimeSpan.FromSeconds(-5), entry.TimeToLive(_clock.GetUtcNow()));
    }

    [Fact]
    public async Task TryStore_ConcurrentStoresOfDifferentKeys_NeverExceedCapacity()
    {
        // Capacity for exactly one entry; two threads released together each store a different key.
        // Sequentially the second evicts the first; concurrently both once read SizeBytes == 0 and both
        // were stored (~9 rounds in 10 on a 2-core machine) before the budget was reserved up front.
        var a = Entry("http://example.com/a");
        var b = Entry("http://example.com/b");
        for (var round = 0; round < 500; round++)
        {
            var store = NewStore(a.Size);
            using var barrier = new Barrier(2);
            await Task.WhenAll(
                Task.Run(() => { barrier.SignalAndWait(); store.TryStore(a); }),
                Task.Run(() => { barrier.SignalAndWait(); store.TryStore(b); }));

            Assert.True(store.SizeBytes <= store.CapacityBytes, $"round {round}: {store.SizeBytes} bytes stored in a {store.CapacityBytes}-byte budget");
        }
    }

    [Fact]
    public async Task ConcurrentStoresAndRemoves_LeaveSizeBytesConsistent()
    {
        var store = NewStore(long.MaxValue);
        var entries = Enumerable.Range(0, 64).Select(i => Entry($"http://example.com/{i % 8}", 10 + i)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var round = 0; round < 200; round++)
            {
                foreach (var e in entries.Skip(t))
                {
                    store.TryStore(e);
                    if ((round + t) % 3 == 0)
                    {
                        store.Remove(e.Key);
                    }
                }
            }
        })));

        var expected = Enumerable.Range(0, 8)
            .Sum(i => store.TryGet(Key($"http://example.com/{i}"), out var e) ? e.Size : 0L);
        Assert.Equal(expected, store.SizeBytes);
    }
}
