using CdnPlatform.Caching.Reuse;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Http.Headers;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>Whether a stored response answers a request without the origin (RFC 9111 §4.2, §5.2.1; RFC 5861), as the clock moves.</summary>
public sealed class ReusePolicyTests
{
    private const string Url = "http://example.com/a";
    private static readonly RequestDirectives Plain = default;
    private readonly FakeTimeProvider _clock = new();
    private readonly TestEntries _entries;

    public ReusePolicyTests() => _entries = new TestEntries(_clock);

    private DateTimeOffset Now => _clock.GetUtcNow();

    private static TimeSpan Seconds(int s) => TimeSpan.FromSeconds(s);

    private CacheEntry Entry(int lifetimeSeconds = 60, bool forbidsStale = false, bool requiresRevalidation = false,
        int swr = 0, int sie = 0, int initialAge = 0) =>
        _entries.Make(Url, lifetime: Seconds(lifetimeSeconds), forbidsStale: forbidsStale, requiresRevalidation: requiresRevalidation,
            staleWhileRevalidate: Seconds(swr), staleIfError: Seconds(sie), initialAge: Seconds(initialAge));

    [Fact]
    public void Reuse_FreshEntry_IsFresh()
    {
        var entry = Entry(60);
        _clock.Advance(Seconds(59));

        Assert.Equal(ReuseDecision.Fresh, ReusePolicy.Decide(entry, Plain, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Reuse_StaleEntryWithoutAnyWindow_MustBeValidated()
    {
        var entry = Entry(60);
        _clock.Advance(Seconds(60));

        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, Plain, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Reuse_EntryNoCache_IsValidatedEvenWhenFresh()
    {
        var entry = Entry(3600, requiresRevalidation: true, swr: 600);

        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, Plain, Now, Seconds(600)));
        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, new RequestDirectives { MaxStale = CacheControl.MaxDelta }, Now, Seconds(600)));
    }

    [Fact]
    public void Reuse_RequestNoCache_IsValidatedEvenWhenFresh()
    {
        var entry = Entry(3600);

        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, new RequestDirectives { NoCache = true }, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Reuse_RequestMaxAge_AcceptsUpToThatAge_ValidatesOlder()
    {
        var entry = Entry(3600);
        _clock.Advance(Seconds(30));

        Assert.Equal(ReuseDecision.Fresh, ReusePolicy.Decide(entry, new RequestDirectives { MaxAge = Seconds(30) }, Now, TimeSpan.Zero));
        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, new RequestDirectives { MaxAge = Seconds(29) }, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Reuse_RequestMaxAge_CountsTheAgeTheResponseArrivedWith()
    {
        var entry = Entry(3600, initialAge: 25);
        _clock.Advance(Seconds(10));

        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, new RequestDirectives { MaxAge = Seconds(30) }, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Reuse_RequestMinFresh_ValidatesWhenLessFreshnessIsLeft()
    {
        var entry = Entry(60);
        _clock.Advance(Seconds(50)); // 10 s of freshness left

        Assert.Equal(ReuseDecision.Fresh, ReusePolicy.Decide(entry, new RequestDirectives { MinFresh = Seconds(10) }, Now, TimeSpan.Zero));
        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, new RequestDirectives { MinFresh = Seconds(11) }, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Reuse_RequestMaxStale_AcceptsStaleUnlessEntryForbidsStale()
    {
        var entry = Entry(60);
        var mustRevalidate = Entry(60, forbidsStale: true);
        _clock.Advance(Seconds(70)); // 10 s stale
        var maxStale = new RequestDirectives { MaxStale = Seconds(10) };

        Assert.Equal(ReuseDecision.StaleAccepted, ReusePolicy.Decide(entry, maxStale, Now, TimeSpan.Zero));
        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(mustRevalidate, maxStale, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Reuse_RequestMaxStale_BeyondIt_Validates()
    {
        var entry = Entry(60);
        _clock.Advance(Seconds(71));

        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, new RequestDirectives { MaxStale = Seconds(10) }, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Reuse_RequestMaxStaleWithoutValue_AcceptsAnyStaleness()
    {
        var entry = Entry(60);
        _clock.Advance(TimeSpan.FromDays(400));
        var directives = RequestDirectives.From(CacheControl.Parse("max-stale"), pragmaNoCache: false, ignoreNoCache: false);

        Assert.Equal(ReuseDecision.StaleAccepted, ReusePolicy.Decide(entry, directives, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Reuse_StaleWithinEntryWindow_IsStaleWhileRevalidate()
    {
        var entry = Entry(60, swr: 30);
        _clock.Advance(Seconds(89));

        Assert.Equal(ReuseDecision.StaleWhileRevalidate, ReusePolicy.Decide(entry, Plain, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Reuse_StaleWithinSiteWindow_IsStaleWhileRevalidate()
    {
        var entry = Entry(60);
        _clock.Advance(Seconds(89));

        Assert.Equal(ReuseDecision.StaleWhileRevalidate, ReusePolicy.Decide(entry, Plain, Now, Seconds(30)));
    }

    [Fact]
    public void Reuse_StaleWhileRevalidateWindow_IsTheLargerOfEntryAndSite()
    {
        var shortEntryWindow = Entry(60, swr: 10);
        var longEntryWindow = Entry(60, swr: 120);
        _clock.Advance(Seconds(60 + 90));

        Assert.Equal(ReuseDecision.StaleWhileRevalidate, ReusePolicy.Decide(shortEntryWindow, Plain, Now, Seconds(100)));
        Assert.Equal(ReuseDecision.StaleWhileRevalidate, ReusePolicy.Decide(longEntryWindow, Plain, Now, Seconds(10)));
        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(shortEntryWindow, Plain, Now, Seconds(10)));
    }

    [Fact]
    public void Reuse_StaleAtTheEndOfTheWindow_IsValidated()
    {
        var entry = Entry(60, swr: 30);
        _clock.Advance(Seconds(90));

        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, Plain, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Reuse_ForbidsStale_OverridesStaleWhileRevalidate()
    {
        var entry = Entry(60, forbidsStale: true, swr: 300);
        _clock.Advance(Seconds(61));

        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, Plain, Now, Seconds(300)));
    }

    [Fact]
    public void Reuse_RequestMaxAge_RulesOutStaleWhileRevalidate()
    {
        var entry = Entry(60, swr: 300);
        _clock.Advance(Seconds(90));

        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, new RequestDirectives { MaxAge = Seconds(3600) }, Now, Seconds(300)));
    }

    [Fact]
    public void Reuse_InvalidatedEntryWithinItsLifetime_IsNotFresh()
    {
        var entry = Entry(3600).AsInvalidated(Now);
        _clock.Advance(Seconds(1));

        Assert.Equal(ReuseDecision.Validate, ReusePolicy.Decide(entry, Plain, Now, TimeSpan.Zero));
        Assert.Equal(ReuseDecision.StaleAccepted, ReusePolicy.Decide(entry, new RequestDirectives { MaxStale = Seconds(1) }, Now, TimeSpan.Zero));
    }

    [Fact]
    public void ServeOnError_WithinTheEntrysStaleIfError_Allowed_BeyondIt_Not()
    {
        var entry = Entry(60, sie: 30);
        _clock.Advance(Seconds(90));
        Assert.True(ReusePolicy.MayServeOnError(entry, Now, TimeSpan.Zero));

        _clock.Advance(Seconds(1));
        Assert.False(ReusePolicy.MayServeOnError(entry, Now, TimeSpan.Zero));
    }

    [Fact]
    public void ServeOnError_SiteWindowLongerThanEntrys_Applies()
    {
        var entry = Entry(60, sie: 5);
        _clock.Advance(Seconds(60 + 100));

        Assert.True(ReusePolicy.MayServeOnError(entry, Now, Seconds(100)));
        Assert.False(ReusePolicy.MayServeOnError(entry, Now, Seconds(99)));
    }

    [Fact]
    public void ServeOnError_FreshEntry_Allowed()
    {
        Assert.True(ReusePolicy.MayServeOnError(Entry(60), Now, TimeSpan.Zero));
    }

    [Fact]
    public void ServeOnError_EntryForbidsStaleOrRequiresRevalidation_Never()
    {
        var mustRevalidate = Entry(60, forbidsStale: true, sie: 600);
        var noCache = Entry(60, requiresRevalidation: true, sie: 600);
        _clock.Advance(Seconds(61));

        Assert.False(ReusePolicy.MayServeOnError(mustRevalidate, Now, Seconds(600)));
        Assert.False(ReusePolicy.MayServeOnError(noCache, Now, Seconds(600)));
    }

    [Fact]
    public void ServeWhenDisconnected_BeyondStaleIfError_WithinTheSiteBound_Allowed()
    {
        var entry = Entry(60, sie: 10);
        _clock.Advance(Seconds(60 + 300));

        Assert.False(ReusePolicy.MayServeOnError(entry, Now, TimeSpan.Zero));
        Assert.True(ReusePolicy.MayServeWhenDisconnected(entry, Now, TimeSpan.Zero, Seconds(300)));
        Assert.False(ReusePolicy.MayServeWhenDisconnected(entry, Now, TimeSpan.Zero, Seconds(299)));
    }

    [Fact]
    public void ServeWhenDisconnected_WithinStaleIfError_AllowedWhateverTheSiteBound()
    {
        var entry = Entry(60, sie: 100);
        _clock.Advance(Seconds(60 + 50));

        Assert.True(ReusePolicy.MayServeWhenDisconnected(entry, Now, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void ServeWhenDisconnected_EntryForbidsStaleOrRequiresRevalidation_Never()
    {
        var mustRevalidate = Entry(60, forbidsStale: true);
        var noCache = Entry(60, requiresRevalidation: true);
        _clock.Advance(Seconds(61));

        Assert.False(ReusePolicy.MayServeWhenDisconnected(mustRevalidate, Now, Seconds(600), TimeSpan.FromDays(1)));
        Assert.False(ReusePolicy.MayServeWhenDisconnected(noCache, Now, Seconds(600), TimeSpan.FromDays(1)));
    }
}
