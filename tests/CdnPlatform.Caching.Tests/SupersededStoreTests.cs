using CdnPlatform.Caching.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>
/// The purge race, against the store alone: a response whose origin request began before a purge of its URL,
/// one of its tags or a prefix of it is refused as <see cref="StoreResult.Superseded"/>, and only then.
/// </summary>
public sealed class SupersededStoreTests
{
    private const string Url = "http://example.com/shoes/red";
    private readonly FakeTimeProvider _clock = new();
    private readonly TestEntries _entries;
    private readonly MemoryCacheStore _store;

    public SupersededStoreTests()
    {
        _entries = new TestEntries(_clock);
        _store = new MemoryCacheStore(1024 * 1024, _clock);
    }

    // The fetch starts (the generation is read), then the invalidation, then the response arrives.
    private StoreResult FetchOvertakenBy(Action invalidation, string url = Url, string[]? tags = null)
    {
        var startedAt = _store.Generation;
        invalidation();
        return _store.Store(_entries.Make(url, tags: tags) with { FetchStartedAt = startedAt });
    }

    [Fact]
    public void Store_UrlPurgedDuringTheFetch_IsSuperseded()
    {
        Assert.Equal(StoreResult.Superseded, FetchOvertakenBy(() => _store.Invalidate(TestEntries.Key(Url), soft: false)));
        Assert.Equal(1, _store.Superseded);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public void Store_UrlSoftPurgedDuringTheFetch_IsSupersededToo()
    {
        Assert.Equal(StoreResult.Superseded, FetchOvertakenBy(() => _store.Invalidate(TestEntries.Key(Url), soft: true)));
    }

    [Fact]
    public void Store_TagPurgedDuringTheFetch_IsSuperseded()
    {
        Assert.Equal(StoreResult.Superseded, FetchOvertakenBy(() => _store.InvalidateTag("product-1", soft: false), tags: ["category-shoes", "product-1"]));
    }

    [Fact]
    public void Store_PrefixBannedDuringTheFetch_IsSuperseded()
    {
        Assert.Equal(StoreResult.Superseded, FetchOvertakenBy(() => _store.Ban("http://example.com/shoes/", soft: false)));
    }

    [Fact]
    public void Store_PurgesOfOtherUrlsTagsAndPrefixes_DoNotSupersede()
    {
        var result = FetchOvertakenBy(() =>
        {
            _store.Invalidate(TestEntries.Key("http://example.com/shoes/blue"), soft: false);
            _store.InvalidateTag("product-2", soft: false);
            _store.Ban("http://example.com/hats/", soft: false);
        }, tags: ["product-1"]);

        Assert.Equal(StoreResult.Stored, result);
        Assert.Equal(0, _store.Superseded);
    }

    [Fact]
    public void Store_PurgeBeforeTheFetchBegan_DoesNotSupersede()
    {
        _store.Invalidate(TestEntries.Key(Url), soft: false);
        _store.InvalidateTag("product-1", soft: false);
        _store.Ban("http://example.com/shoes/", soft: false);

        Assert.Equal(StoreResult.Stored, FetchOvertakenBy(() => { }, tags: ["product-1"]));
    }

    [Fact]
    public void Store_WithoutAFetchStart_IsNeverSuperseded()
    {
        _store.Invalidate(TestEntries.Key(Url), soft: false);

        Assert.Equal(StoreResult.Stored, _store.Store(_entries.Make(Url)));
    }

    [Fact]
    public void Store_AnotherEntryStoredDuringTheFetch_DoesNotSupersede()
    {
        // Stores advance the generation as well; only invalidations supersede.
        Assert.Equal(StoreResult.Stored, FetchOvertakenBy(() => _store.Store(_entries.Make("http://example.com/other"))));
    }

    [Fact]
    public void Store_InvalidationsOlderThanAnyFetchCanBe_AreForgottenBySweeps()
    {
        var startedAt = _store.Generation;
        _store.Invalidate(TestEntries.Key(Url), soft: false);
        _store.InvalidateTag("product-1", soft: false);
        _store.Ban("http://example.com/shoes/", soft: false);

        _clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        _store.SweepBans();

        // No fetch lives this long; the record no longer holds a claim on it.
        Assert.Equal(StoreResult.Stored, _store.Store(_entries.Make(Url, tags: ["product-1"]) with { FetchStartedAt = startedAt }));
    }

    [Fact]
    public void Store_InvalidationsWithinTheirMemory_SurviveASweep()
    {
        var startedAt = _store.Generation;
        _store.Invalidate(TestEntries.Key(Url), soft: false);

        _clock.Advance(TimeSpan.FromMinutes(9));
        _store.SweepBans();

        Assert.Equal(StoreResult.Superseded, _store.Store(_entries.Make(Url) with { FetchStartedAt = startedAt }));
    }
}
