using CdnPlatform.Caching.Reuse;
using CdnPlatform.Http.Headers;

namespace CdnPlatform.Caching.Tests;

/// <summary>A request's Cache-Control and Pragma as a shared cache reads them (RFC 9111 §5.2.1, §5.4), after the site's no-cache policy.</summary>
public sealed class RequestDirectivesTests
{
    private static RequestDirectives From(string? cacheControl, bool pragmaNoCache = false, bool ignoreNoCache = false) =>
        RequestDirectives.From(CacheControl.Parse(cacheControl), pragmaNoCache, ignoreNoCache);

    [Fact]
    public void Directives_NoHeaders_AskNothing()
    {
        Assert.Equal(default(RequestDirectives), From(null));
    }

    [Fact]
    public void Directives_EveryRequestDirective_IsRead()
    {
        var d = From("no-cache, no-store, only-if-cached, max-age=10, min-fresh=20, max-stale=30");

        Assert.True(d.NoCache);
        Assert.True(d.NoStore);
        Assert.True(d.OnlyIfCached);
        Assert.Equal(TimeSpan.FromSeconds(10), d.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(20), d.MinFresh);
        Assert.Equal(TimeSpan.FromSeconds(30), d.MaxStale);
    }

    [Fact]
    public void Directives_MaxStaleWithoutValue_AcceptsAnyStaleness()
    {
        Assert.Equal(CacheControl.MaxDelta, From("max-stale").MaxStale);
    }

    [Fact]
    public void Directives_PragmaNoCacheWithoutCacheControl_IsNoCache()
    {
        Assert.True(From(null, pragmaNoCache: true).NoCache);
    }

    [Fact]
    public void Directives_PragmaNoCache_IsIgnoredWhenCacheControlIsPresent()
    {
        Assert.False(From("max-age=60", pragmaNoCache: true).NoCache);
    }

    [Fact]
    public void Directives_SiteIgnoringNoCache_DropsNoCacheFromEitherField()
    {
        Assert.False(From("no-cache", ignoreNoCache: true).NoCache);
        Assert.False(From(null, pragmaNoCache: true, ignoreNoCache: true).NoCache);
    }

    [Fact]
    public void Directives_SiteIgnoringNoCache_DropsMaxAgeZeroToo()
    {
        Assert.Null(From("max-age=0", ignoreNoCache: true).MaxAge);
        Assert.Equal(TimeSpan.Zero, From("max-age=0").MaxAge);
    }

    [Fact]
    public void Directives_SiteIgnoringNoCache_KeepsNonZeroMaxAgeAndNoStore()
    {
        var d = From("no-cache, no-store, max-age=5", ignoreNoCache: true);

        Assert.Equal(TimeSpan.FromSeconds(5), d.MaxAge);
        Assert.True(d.NoStore);
    }

    [Fact]
    public void Directives_AreCaseInsensitive()
    {
        var d = From("No-Cache, MAX-STALE=7");

        Assert.True(d.NoCache);
        Assert.Equal(TimeSpan.FromSeconds(7), d.MaxStale);
    }
}
