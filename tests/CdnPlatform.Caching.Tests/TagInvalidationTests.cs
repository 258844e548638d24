using CdnPlatform.Caching.Storage;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>Purge by surrogate key (Surrogate-Key / Cache-Tag): the tag index finds the URLs, each variant is checked for the tag.</summary>
public sealed class TagInvalidationTests
{
    private const string Url = "http://example.com/product/1";
    private readonly FakeTimeProvider _clock = new();
    private readonly TestEntries _entries;

    public TagInvalidationTests() => _entries = new TestEntries(_clock);

    [Fact]
    public void TagPurge_RemovesEveryUrlCarryingTheTag_AndReturnsHowMany()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var a = _entries.Make("http://example.com/a", tags: ["product-1", "all"]);
        var b = _entries.Make("https://shop.example.com/b", tags: ["all"]);
        var untagged = _entries.Make("http://example.com/c");
        foreach (var e in new[] { a, b, untagged })
        {
            store.TryStore(e);
        }

        Assert.Equal(2, store.InvalidateTag("all", soft: false));

        Assert.False(store.Contains(a.Key));
        Assert.False(store.Contains(b.Key));
        Assert.Same(untagged, store.Find(untagged.Key, _ => true));
        Assert.Equal(1, store.Count);
        Assert.Equal(untagged.Size, store.SizeBytes);
    }

    [Fact]
    public void TagPurge_RemovesOnlyVariantsCarryingTheTag()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var tagged = _entries.Make(Url, "gzip", tags: ["product-1"]);
        var untagged = _entries.Make(Url, "br", tags: ["other"]);
        store.TryStore(tagged);
        store.TryStore(untagged);

        Assert.Equal(1, store.InvalidateTag("product-1", soft: false));

        Assert.Null(TestEntries.FindVariant(store, Url, "gzip"));
        Assert.Same(untagged, TestEntries.FindVariant(store, Url, "br"));
        Assert.Equal(1, store.Count);
        Assert.Equal(untagged.Size, store.SizeBytes);
    }

    [Fact]
    public void TagPurge_UnknownTag_ReturnsZeroAndChangesNothing()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var entry = _entries.Make(Url, tags: ["product-1"]);
        store.TryStore(entry);

        Assert.Equal(0, store.InvalidateTag("product-2", soft: false));
        Assert.Equal(0, store.InvalidateTag("Product-1", soft: false)); // tags compare ordinally

        Assert.Same(entry, store.Find(entry.Key, _ => true));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void TagPurge_Soft_KeepsTheVariantsButInvalidatesThem()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var gzip = _entries.Make(Url, "gzip", tags: ["product-1"]);
        var br = _entries.Make(Url, "br", tags: ["product-1"]);
        store.TryStore(gzip);
        store.TryStore(br);

        Assert.Equal(2, store.InvalidateTag("product-1", soft: true));

        var now = _clock.GetUtcNow();
        foreach (var variant in new[] { "gzip", "br" })
        {
            var found = TestEntries.FindVariant(store, Url, variant);
            Assert.NotNull(found);
            Assert.True(found.Invalidated);
            Assert.False(found.IsFresh(now));
        }
        Assert.Equal(2, store.Count);
        Assert.Equal(gzip.Size + br.Size, store.SizeBytes);
    }

    [Fact]
    public void TagPurge_SoftTwice_SecondCountsNothing()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        store.TryStore(_entries.Make(Url, tags: ["product-1"]));

        Assert.Equal(1, store.InvalidateTag("product-1", soft: true));
        Assert.Equal(0, store.InvalidateTag("product-1", soft: true));
    }

    [Fact]
    public void TagPurge_HardAfterSoft_StillFindsAndRemovesTheEntry()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var entry = _entries.Make(Url, tags: ["product-1"]);
        store.TryStore(entry);
        store.InvalidateTag("product-1", soft: true);

        Assert.Equal(1, store.InvalidateTag("product-1", soft: false));

        Assert.False(store.Contains(entry.Key));
        Assert.Equal(0, store.SizeBytes);
    }

    [Fact]
    public void TagPurge_AfterTheUrlIsRestoredWithoutTheTag_DoesNotReachIt()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        store.TryStore(_entries.Make(Url, tags: ["product-1"]));
        var retagged = _entries.Make(Url, tags: ["product-2"]);
        store.TryStore(retagged);

        Assert.Equal(0, store.InvalidateTag("product-1", soft: false));

        Assert.Same(retagged, store.Find(retagged.Key, _ => true));
    }

    [Fact]
    public void TagPurge_AfterTheUrlWasRemoved_ReturnsZero()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var entry = _entries.Make(Url, tags: ["product-1"]);
        store.TryStore(entry);
        store.Remove(entry.Key);

        Assert.Equal(0, store.InvalidateTag("product-1", soft: false));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void TagPurge_AfterOneVariantIsRemoved_StillReachesASiblingVariantWithTheTag()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var gzip = _entries.Make(Url, "gzip", tags: ["product-1", "gzip-only"]);
        var br = _entries.Make(Url, "br", tags: ["product-1"]);
        store.TryStore(gzip);
        store.TryStore(br);
        Assert.Equal(1, store.InvalidateTag("gzip-only", soft: false)); // removes the gzip variant

        Assert.Equal(1, store.InvalidateTag("product-1", soft: false));

        Assert.Null(TestEntries.FindVariant(store, Url, "br"));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void TagPurge_AfterOneVariantIsReplacedWithoutTheTag_StillReachesTheSiblingThatHasIt()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        store.TryStore(_entries.Make(Url, "gzip", tags: ["product-1"]));
        var br = _entries.Make(Url, "br", tags: ["product-1"]);
        store.TryStore(br);
        store.TryStore(_entries.Make(Url, "gzip")); // origin no longer tags the gzip variant

        Assert.Equal(1, store.InvalidateTag("product-1", soft: false));

        Assert.Null(TestEntries.FindVariant(store, Url, "br"));
    }

    [Fact]
    public void ConcurrentTagPurgesAndStores_KeepCountAndSizeBytesEqualToWhatRemains()
    {
        var store = new MemoryCacheStore(long.MaxValue, _clock);
        var urls = Enumerable.Range(0, 16).Select(i => $"http://example.com/p/{i}").ToArray();
        Concurrently.Run(3, t =>
        {
            for (var i = 0; i < 3000; i++)
            {
                if (t == 0)
                {
                    store.TryStore(_entries.Make(urls[i % urls.Length], $"v{i % 3}", bodyBytes: i % 40, tags: [$"t{i % 2}"]));
                }
                else
                {
                    store.InvalidateTag($"t{(i + t) % 2}", soft: i % 3 == 0);
                }
            }
        });

        var remaining = urls.SelectMany(u => Enumerable.Range(0, 3).Select(v => TestEntries.FindVariant(store, u, $"v{v}"))).OfType<CacheEntry>().ToArray();
        Assert.Equal(remaining.Length, store.Count);
        Assert.Equal(remaining.Sum(e => e.Size), store.SizeBytes);
    }
}
