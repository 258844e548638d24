using CdnPlatform.Caching.Eviction;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>
/// The store holds one reference on each stored entry's native body and gives it back whichever way the entry
/// leaves (evicted, replaced, purged, banned, pushed out by a newer variant); a reader's lease outlives all of them.
/// Run once per eviction policy (<c>Eviction/</c>).
/// </summary>
public abstract class StoreBodyLifetimeTests
{
    private readonly FakeTimeProvider _clock = new();

    protected abstract EvictionPolicy Policy { get; }

    private MemoryCacheStore NewStore(long capacityBytes = 1_000_000) => new(capacityBytes, _clock, Policy);

    // A native body whose creator let go once it was stored, as a fill does: the store's reference is the only one.
    private CacheEntry Stored(MemoryCacheStore store, string url, int bodyBytes = 1000, string variant = "", string[]? tags = null)
    {
        var entry = Entry(url, bodyBytes, variant, tags);
        Assert.Equal(StoreResult.Stored, store.Store(entry));
        entry.Body.Release();
        Assert.False(entry.Body.IsFreed);
        return entry;
    }

    private CacheEntry Entry(string url, int bodyBytes = 1000, string variant = "", string[]? tags = null) => new()
    {
        Key = CacheKey.FromUrl(new Uri(url)),
        StatusCode = 200,
        Headers = [],
        Body = StoredBody.CopyOf(new byte[bodyBytes]),
        ResponseTime = _clock.GetUtcNow(),
        CorrectedInitialAge = TimeSpan.Zero,
        FreshnessLifetime = TimeSpan.FromMinutes(1),
        VariantKey = variant,
        Tags = tags ?? [],
    };

    [Fact]
    public void An_evicted_entry_frees_its_body()
    {
        var store = NewStore(capacityBytes: 5000);
        var first = Stored(store, "http://shop.test/first");

        for (var i = 0; i < 20; i++)
        {
            Stored(store, $"http://shop.test/other/{i}");
        }

        Assert.Null(store.Find(first.Key, _ => true));
        Assert.True(first.Body.IsFreed);
    }

    [Fact]
    public void A_lease_keeps_an_evicted_body_readable_until_it_is_given_back()
    {
        var store = NewStore(capacityBytes: 5000);
        var first = Stored(store, "http://shop.test/first");
        // Leased as a reader that found it would (a Find itself would count a hit and spare it from S3-FIFO's small queue).
        var found = first;
        Assert.True(found.Body.TryAcquire());

        for (var i = 0; i < 20; i++)
        {
            Stored(store, $"http://shop.test/other/{i}");
        }
        Assert.Null(store.Find(first.Key, _ => true));
        Assert.False(found.Body.IsFreed);
        Assert.Equal(1000, found.Body.Bytes.ToArray().Length);

        found.Body.Release();
        Assert.True(found.Body.IsFreed);
    }

    [Fact]
    public void A_hard_purge_frees_the_body_and_a_soft_one_keeps_it_in_the_stale_copy()
    {
        var store = NewStore();
        var hard = Stored(store, "http://shop.test/hard");
        var soft = Stored(store, "http://shop.test/soft");

        store.Invalidate(hard.Key, soft: false);
        store.Invalidate(soft.Key, soft: true);

        Assert.True(hard.Body.IsFreed);
        Assert.False(soft.Body.IsFreed);
        var stale = store.Find(soft.Key, _ => true)!;
        Assert.True(stale.Invalidated);
        Assert.Same(soft.Body, stale.Body);

        store.Invalidate(soft.Key, soft: false);
        Assert.True(soft.Body.IsFreed);
    }

    [Fact]
    public void A_newer_response_for_the_same_variant_frees_the_one_it_replaced()
    {
        var store = NewStore();
        var old = Stored(store, "http://shop.test/page", variant: "gzip");
        var other = Stored(store, "http://shop.test/page", variant: "br");

        var newer = Stored(store, "http://shop.test/page", variant: "gzip");

        Assert.True(old.Body.IsFreed);
        Assert.False(other.Body.IsFreed);
        Assert.False(newer.Body.IsFreed);
    }

    [Fact]
    public void A_freshened_copy_shares_the_body_which_lives_while_either_is_stored()
    {
        var store = NewStore();
        var stored = Stored(store, "http://shop.test/page");
        var freshened = stored with { ResponseTime = _clock.GetUtcNow() };

        Assert.True(store.Replace(stored, freshened));
        Assert.False(stored.Body.IsFreed);

        store.Invalidate(stored.Key, soft: false);
        Assert.True(stored.Body.IsFreed);
    }

    [Fact]
    public void Replacing_an_entry_that_went_meanwhile_fails_without_touching_its_freed_body()
    {
        var store = NewStore();
        var stored = Stored(store, "http://shop.test/page");
        store.Invalidate(stored.Key, soft: false);

        Assert.False(store.Replace(stored, stored with { ResponseTime = _clock.GetUtcNow() }));
        Assert.True(stored.Body.IsFreed);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Bans_and_tag_purges_free_what_they_remove()
    {
        var store = NewStore();
        var banned = Stored(store, "http://shop.test/products/1");
        var tagged = Stored(store, "http://shop.test/other", tags: ["sale"]);
        var kept = Stored(store, "http://shop.test/kept");

        store.Ban(banned.Key.Value[..^1], soft: false);
        store.SweepBans();
        store.InvalidateTag("sale", soft: false);

        Assert.True(banned.Body.IsFreed);
        Assert.True(tagged.Body.IsFreed);
        Assert.False(kept.Body.IsFreed);
    }

    [Fact]
    public void The_managed_share_of_what_leaves_or_is_replaced_is_counted_and_bodies_are_not()
    {
        var store = NewStore();
        var evicted = Stored(store, "http://shop.test/a", bodyBytes: 5000);
        var replaced = Stored(store, "http://shop.test/b", bodyBytes: 7000);
        Assert.Equal(0, store.ReleasedManagedBytes);

        store.Invalidate(evicted.Key, soft: false);
        Assert.Equal(evicted.Size - 5000, store.ReleasedManagedBytes);

        Assert.True(store.Replace(replaced, replaced with { ResponseTime = _clock.GetUtcNow() }));
        Assert.Equal(evicted.Size - 5000 + replaced.Size - 7000, store.ReleasedManagedBytes);
    }

    [Fact]
    public void An_entry_the_store_refuses_keeps_its_body_for_the_creator_to_free()
    {
        var store = NewStore(capacityBytes: 500);
        var tooLarge = Entry("http://shop.test/large", bodyBytes: 1000);

        Assert.Equal(StoreResult.NoRoom, store.Store(tooLarge));
        Assert.False(tooLarge.Body.IsFreed);

        tooLarge.Body.Release();
        Assert.True(tooLarge.Body.IsFreed);
    }

    [Fact]
    public void Storing_an_entry_whose_body_was_already_freed_is_refused_loudly()
    {
        var store = NewStore();
        var entry = Entry("http://shop.test/page");
        entry.Body.Release();

        Assert.Throws<InvalidOperationException>(() => store.Store(entry));
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.SizeBytes);
    }

    [Fact]
    public async Task Under_concurrent_stores_and_purges_every_body_that_left_is_freed_and_every_stored_one_is_not()
    {
        var store = NewStore(capacityBytes: 50_000);
        var made = new System.Collections.Concurrent.ConcurrentBag<CacheEntry>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var url = $"http://shop.test/{(t * 7 + i) % 150}";
                if (i % 10 == 9)
                {
                    store.Invalidate(CacheKey.FromUrl(new Uri(url)), soft: i % 20 == 9);
                    continue;
                }
                var entry = Entry(url, bodyBytes: 200 + i % 700);
                store.Store(entry);
                entry.Body.Release(); // stored or not, the fill lets go
                made.Add(entry);
            }
        })));

        var stillStored = made.Where(e => store.Find(e.Key, s => ReferenceEquals(s.Body, e.Body)) is not null).ToList();
        Assert.Equal(store.Count, stillStored.Count);
        Assert.All(stillStored, e => Assert.False(e.Body.IsFreed));
        Assert.All(made.Except(stillStored), e => Assert.True(e.Body.IsFreed, $"{e.Key.Value}'s body left the store but was not freed"));
    }
}
