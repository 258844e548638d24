using CdnPlatform.Caching.Reuse;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>Soft purges: the entry stays, stale from the purge on, for stale-while-revalidate and stale-if-error.</summary>
public sealed class SoftPurgeTests
{
    private const string Url = "http://example.com/a";
    private readonly FakeTimeProvider _clock = new();
    private readonly TestEntries _entries;

    public SoftPurgeTests() => _entries = new TestEntries(_clock);

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void SoftPurge_KeepsTheEntryButItIsNeverFreshAgain()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var entry = _entries.Make(Url, lifetime: TimeSpan.FromHours(1));
        store.TryStore(entry);
        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(1, store.InvalidateUrl(new Uri(Url), soft: true));

        var found = store.Find(entry.Key, _ => true);
        Assert.NotNull(found);
        Assert.NotSame(entry, found);
        Assert.True(found.Invalidated);
        Assert.False(found.IsFresh(Now));
        Assert.Equal(TimeSpan.FromMinutes(10), found.Age(Now)); // its age is unchanged
        Assert.False(entry.Invalidated); // the stored original is immutable
    }

    [Fact]
    public void SoftPurge_StalenessCountsFromThePurge()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var entry = _entries.Make(Url, lifetime: TimeSpan.FromHours(1));
        store.TryStore(entry);
        _clock.Advance(TimeSpan.FromMinutes(10));
        store.Invalidate(entry.Key, soft: true);

        var found = store.Find(entry.Key, _ => true)!;
        Assert.Equal(TimeSpan.Zero, found.Staleness(Now));
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(30), found.Staleness(Now));
    }

    [Fact]
    public void SoftPurge_OfAlreadyStaleEntry_KeepsItsOriginalStaleness()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var entry = _entries.Make(Url, lifetime: TimeSpan.FromMinutes(1));
        store.TryStore(entry);
        _clock.Advance(TimeSpan.FromMinutes(3));

        store.Invalidate(entry.Key, soft: true);

        Assert.Equal(TimeSpan.FromMinutes(2), store.Find(entry.Key, _ => true)!.Staleness(Now));
    }

    [Fact]
    public void SoftPurge_KeepsCountAndSizeBytes()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        var a = _entries.Make(Url, "a");
        var b = _entries.Make(Url, "b", bodyBytes: 300);
        store.TryStore(a);
        store.TryStore(b);

        Assert.Equal(2, store.Invalidate(a.Key, soft: true));

        Assert.Equal(2, store.Count);
        Assert.Equal(a.Size + b.Size, store.SizeBytes);
        Assert.True(TestEntries.FindVariant(store, Url, "a")!.Invalidated);
        Assert.True(TestEntries.FindVariant(store, Url, "b")!.Invalidated);
    }

    [Fact]
    public void SoftPurge_Twice_SecondCountsNothing()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        store.TryStore(_entries.Make(Url));

        Assert.Equal(1, store.Invalidate(TestEntries.Key(Url), soft: true));
        Assert.Equal(0, store.Invalidate(TestEntries.Key(Url), soft: true));
    }

    [Fact]
    public void SoftPurge_ReachesBothSchemes()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        store.TryStore(_entries.Make("http://example.com/a"));
        store.TryStore(_entries.Make("https://example.com/a"));

        Assert.Equal(2, store.InvalidateUrl(new Uri("https://example.com/a"), soft: true));

        Assert.True(store.Find(TestEntries.Key("http://example.com/a"), _ => true)!.Invalidated);
        Assert.True(store.Find(TestEntries.Key("https://example.com/a"), _ => true)!.Invalidated);
    }

    [Fact]
    public void SoftPurge_EntryIsServableOnErrorWithinItsWindow_NotAfter()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        store.TryStore(_entries.Make(Url, lifetime: TimeSpan.FromHours(1), staleIfError: TimeSpan.FromMinutes(1)));
        store.Invalidate(TestEntries.Key(Url), soft: true);
        var purged = store.Find(TestEntries.Key(Url), _ => true)!;

        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.True(ReusePolicy.MayServeOnError(purged, Now, TimeSpan.Zero));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(ReusePolicy.MayServeOnError(purged, Now, TimeSpan.Zero));
    }

    [Fact]
    public void SoftPurge_WithinStaleWhileRevalidate_IsServedWhileRevalidating()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        store.TryStore(_entries.Make(Url, lifetime: TimeSpan.FromHours(1), staleWhileRevalidate: TimeSpan.FromSeconds(30)));
        store.Invalidate(TestEntries.Key(Url), soft: true);
        var purged = store.Find(TestEntries.Key(Url), _ => true)!;

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(ReuseDecision.StaleWhileRevalidate, ReusePolicy.Decide(purged, default, Now, TimeSpan.Zero));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(purged, default, Now, TimeSpan.Zero));
    }

    [Fact]
    public void SoftPurge_WithoutAnyStaleWindow_MustBeValidated()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        store.TryStore(_entries.Make(Url, lifetime: TimeSpan.FromHours(1)));
        store.Invalidate(TestEntries.Key(Url), soft: true);

        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(store.Find(TestEntries.Key(Url), _ => true)!, default, Now, TimeSpan.Zero));
    }

    [Fact]
    public void SoftPurge_ThenNewResponseStored_ReplacesThePurgedCopy()
    {
        var store = new MemoryCacheStore(100_000, _clock);
        store.TryStore(_entries.Make(Url));
        store.Invalidate(TestEntries.Key(Url), soft: true);
        var fresh = _entries.Make(Url);

        Assert.True(store.TryStore(fresh));

        Assert.Same(fresh, store.Find(fresh.Key, _ => true));
        Assert.True(fresh.IsFresh(Now));
        Assert.Equal(1, store.Count);
        Assert.Equal(fresh.Size, store.SizeBytes);
    }

    [Fact]
    public void SoftPurge_OfNothingStored_ReturnsZero()
    {
        var store = new MemoryCacheStore(100_000, _clock);

        Assert.Equal(0, store.InvalidateUrl(new Uri(Url), soft: true));
        Assert.Equal(0, store.Count);
    }
}
