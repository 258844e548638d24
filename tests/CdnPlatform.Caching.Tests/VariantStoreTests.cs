using CdnPlatform.Caching.Storage;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>Several responses per URL, one per Vary secondary key (RFC 9111 §4.1), newest first.</summary>
public sealed class VariantStoreTests
{
    private const string Url = "http://example.com/page";
    private readonly FakeTimeProvider _clock = new();
    private readonly TestEntries _entries;

    public VariantStoreTests() => _entries = new TestEntries(_clock);

    [Fact]
    public void Variants_WithDifferentKeys_AreAllKeptAndCounted()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var gzip = _entries.Make(Url, "gzip");
        var br = _entries.Make(Url, "br", bodyBytes: 50);

        Assert.True(store.TryStore(gzip));
        Assert.True(store.TryStore(br));

        Assert.Same(gzip, TestEntries.FindVariant(store, Url, "gzip"));
        Assert.Same(br, TestEntries.FindVariant(store, Url, "br"));
        Assert.Equal(2, store.Count);
        Assert.Equal(gzip.Size + br.Size, store.SizeBytes);
    }

    [Fact]
    public void Find_ReturnsTheNewestVariantThePredicateAccepts()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var older = _entries.Make(Url, "a");
        var newer = _entries.Make(Url, "b");
        store.TryStore(older);
        store.TryStore(newer);

        Assert.Same(newer, store.Find(TestEntries.Key(Url), _ => true));
        Assert.True(store.TryGet(TestEntries.Key(Url), out var any));
        Assert.Same(newer, any);
    }

    [Fact]
    public void Find_NoVariantMatches_ReturnsNullThoughTheUrlIsStored()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        store.TryStore(_entries.Make(Url, "gzip"));

        Assert.Null(TestEntries.FindVariant(store, Url, "br"));
        Assert.True(store.Contains(TestEntries.Key(Url)));
    }

    [Fact]
    public void Find_PassesStateToThePredicate()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var gzip = _entries.Make(Url, "gzip");
        store.TryStore(gzip);
        store.TryStore(_entries.Make(Url, "br"));
        var seen = new List<string>();

        var found = store.Find(TestEntries.Key(Url), seen, static (e, s) => { s.Add(e.VariantKey); return e.VariantKey == "gzip"; });

        Assert.Same(gzip, found);
        Assert.Equal(["br", "gzip"], seen); // newest first, stopping at the match
    }

    [Fact]
    public void StoringSameVariantKey_ReplacesOnlyThatVariant()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var gzip = _entries.Make(Url, "gzip", bodyBytes: 100);
        var br = _entries.Make(Url, "br", bodyBytes: 200);
        var gzip2 = _entries.Make(Url, "gzip", bodyBytes: 300);
        store.TryStore(gzip);
        store.TryStore(br);

        Assert.True(store.TryStore(gzip2));

        Assert.Same(gzip2, TestEntries.FindVariant(store, Url, "gzip"));
        Assert.Same(br, TestEntries.FindVariant(store, Url, "br"));
        Assert.Same(gzip2, store.Find(TestEntries.Key(Url), _ => true)); // the replacement is the newest
        Assert.Equal(2, store.Count);
        Assert.Equal(br.Size + gzip2.Size, store.SizeBytes);
    }

    [Fact]
    public void BeyondMaxVariantsPerUrl_TheOldestVariantsGo()
    {
        var store = new MemoryCacheStore(10_000_000, _clock);
        var all = Enumerable.Range(0, MemoryCacheStore.MaxVariantsPerUrl + 3).Select(i => _entries.Make(Url, $"v{i}", bodyBytes: i)).ToArray();

        foreach (var entry in all)
        {
            Assert.True(store.TryStore(entry));
        }

        Assert.Equal(MemoryCacheStore.MaxVariantsPerUrl, store.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(TestEntries.FindVariant(store, Url, $"v{i}"));
        }
        for (var i = 3; i < all.Length; i++)
        {
            Assert.Same(all[i], TestEntries.FindVariant(store, Url, $"v{i}"));
        }
        Assert.Equal(all.Skip(3).Sum(e => e.Size), store.SizeBytes);
    }

    [Fact]
    public void Variants_OfDifferentUrls_DoNotMix()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var a = _entries.Make("http://example.com/a", "gzip");
        var b = _entries.Make("http://example.com/b", "gzip");
        store.TryStore(a);
        store.TryStore(b);

        Assert.Same(a, TestEntries.FindVariant(store, "http://example.com/a", "gzip"));
        Assert.Same(b, TestEntries.FindVariant(store, "http://example.com/b", "gzip"));
    }

    [Fact]
    public void Invalidate_Hard_RemovesEveryVariantOfTheUrl()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        store.TryStore(_entries.Make(Url, "a"));
        store.TryStore(_entries.Make(Url, "b"));
        var other = _entries.Make("http://example.com/other");
        store.TryStore(other);

        Assert.Equal(2, store.Invalidate(TestEntries.Key(Url), soft: false));

        Assert.False(store.Contains(TestEntries.Key(Url)));
        Assert.Equal(1, store.Count);
        Assert.Equal(other.Size, store.SizeBytes);
    }

    [Fact]
    public void Replace_SwapsTheVariantInPlace_KeepingOrderCountAndSize()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var a = _entries.Make(Url, "a", bodyBytes: 100);
        var b = _entries.Make(Url, "b", bodyBytes: 100);
        store.TryStore(a);
        store.TryStore(b);
        var refreshed = _entries.Make(Url, "a", bodyBytes: 400, lifetime: TimeSpan.FromHours(1));

        Assert.True(store.Replace(a, refreshed));

        Assert.Same(refreshed, TestEntries.FindVariant(store, Url, "a"));
        Assert.Same(b, store.Find(TestEntries.Key(Url), _ => true)); // b is still the newest
        Assert.Equal(2, store.Count);
        Assert.Equal(b.Size + refreshed.Size, store.SizeBytes);
    }

    [Fact]
    public void Replace_EntryNoLongerStored_ReturnsFalseAndStoresNothing()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var a = _entries.Make(Url, "a");
        var a2 = _entries.Make(Url, "a", bodyBytes: 50);
        store.TryStore(a);
        store.TryStore(a2); // a is gone

        Assert.False(store.Replace(a, _entries.Make(Url, "a", bodyBytes: 999)));

        Assert.Same(a2, TestEntries.FindVariant(store, Url, "a"));
        Assert.Equal(1, store.Count);
        Assert.Equal(a2.Size, store.SizeBytes);
    }

    [Fact]
    public void Replace_ByEntryForAnotherUrl_Throws()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var a = _entries.Make(Url);
        store.TryStore(a);

        Assert.Throws<ArgumentException>(() => store.Replace(a, _entries.Make("http://example.com/elsewhere")));
        Assert.Same(a, store.Find(a.Key, _ => true));
    }

    [Fact]
    public void Replace_ByCopyWithMoreHeaders_IsChargedTheCopysRealSize()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var stored = _entries.Make(Url);
        store.TryStore(stored); // reads stored.Size
        var extra = Enumerable.Range(0, 20).Select(i => KeyValuePair.Create($"X-Header-{i}", new[] { new string('v', 100) }));
        var freshened = stored with { Headers = [.. stored.Headers, .. extra] }; // what a 304's fields do to a stored copy

        Assert.True(store.Replace(stored, freshened));

        // Each added field costs at least its characters at two bytes each.
        Assert.True(freshened.Size >= stored.Size + 20 * (2 * ("X-Header-00".Length + 100)), $"{freshened.Size} vs {stored.Size}");
        Assert.Equal(freshened.Size, store.SizeBytes);
    }

    [Fact]
    public void ManyThreadsStoringVariantsOfOneUrl_KeepCountAndSizeBytesEqualToWhatRemains()
    {
        for (var round = 0; round < 20; round++)
        {
            var store = new MemoryCacheStore(long.MaxValue, _clock);
            var refused = 0;
            Concurrently.Run(8, t =>
            {
                for (var i = 0; i < 200; i++)
                {
                    // 48 distinct variant keys over 8 threads: replacements, and more than MaxVariantsPerUrl.
                    if (!store.TryStore(_entries.Make(Url, $"v{(t * 7 + i) % 48}", bodyBytes: (t * 31 + i) % 97)))
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
            });

            var remaining = Enumerable.Range(0, 48).Select(v => TestEntries.FindVariant(store, Url, $"v{v}")).OfType<CacheEntry>().ToArray();
            Assert.Equal(0, refused);
            Assert.Equal(MemoryCacheStore.MaxVariantsPerUrl, remaining.Length);
            Assert.Equal(remaining.Length, store.Count);
            Assert.Equal(remaining.Sum(e => e.Size), store.SizeBytes);
        }
    }

    [Fact]
    public void ConcurrentSoftPurgesAndStores_KeepSizeBytesEqualToWhatRemains()
    {
        var store = new MemoryCacheStore(long.MaxValue, _clock);
        Concurrently.Run(4, t =>
        {
            for (var i = 0; i < 2000; i++)
            {
                if (t == 0)
                {
                    store.Invalidate(TestEntries.Key(Url), soft: true);
                }
                else
                {
                    store.TryStore(_entries.Make(Url, $"v{(t + i) % 6}", bodyBytes: (t * 13 + i) % 50));
                }
            }
        });

        var remaining = Enumerable.Range(0, 6).Select(v => TestEntries.FindVariant(store, Url, $"v{v}")).OfType<CacheEntry>().ToArray();
        Assert.Equal(6, remaining.Length);
        Assert.Equal(remaining.Length, store.Count);
        Assert.Equal(remaining.Sum(e => e.Size), store.SizeBytes);
    }
}
