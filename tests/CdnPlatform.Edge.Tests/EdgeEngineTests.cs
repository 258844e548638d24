using CdnPlatform.Testing;
using System.Net;

namespace CdnPlatform.Edge.Tests;

/// <summary>The engine's behaviour over real sockets: coalescing, revalidation, stale serving, Vary, invalidation.</summary>
public sealed class EdgeEngineTests : IAsyncLifetime
{
    private EdgeFixture _f = null!;

    public async Task InitializeAsync() => _f = await EdgeFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task ConcurrentMisses_MakeOneOriginRequest_AndTheOthersAreCollapsedHits()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _f.GetAsync("/slow?delay=500")));
        try
        {
            Assert.Equal(1, _f.Origin.Hits("/slow"));
            var statuses = responses.Select(r => r.CacheStatus()).ToList();
            Assert.Single(statuses, s => s.Contains("fwd=uri-miss") && s.Contains("stored"));
            Assert.Equal(7, statuses.Count(s => s.Contains("hit") && s.Contains("collapsed")));
            foreach (var response in responses)
            {
                Assert.Equal("GET /slow #1", await response.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task ConcurrentMisses_ForAnUnshareableResponse_EachGetTheirOwn()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _f.GetAsync("/mine?delay=300&cc=private")));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        foreach (var response in responses)
        {
            response.Dispose();
        }
        // Followers waited for the leader, learnt its response was private, and went to the origin themselves.
        Assert.Equal(4, _f.Origin.Hits("/mine"));
        Assert.Equal(4, bodies.Distinct().Count());
    }

    [Fact]
    public async Task StaleEntryWithETag_IsRevalidated_And304RefreshesIt()
    {
        (await _f.GetAsync("/v?etag=one&cc=max-age=10")).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(20));

        using var revalidated = await _f.GetAsync("/v?etag=one&cc=max-age=10");
        Assert.Equal(HttpStatusCode.OK, revalidated.StatusCode);
        Assert.Equal("CdnPlatform; fwd=stale; fwd-status=304", revalidated.CacheStatus());
        Assert.Equal("GET /v #1", await revalidated.Content.ReadAsStringAsync());
        Assert.Equal(1, _f.Origin.ConditionalHits("/v"));

        using var hit = await _f.GetAsync("/v?etag=one&cc=max-age=10");
        Assert.StartsWith("CdnPlatform; hit", hit.CacheStatus());
    }

    [Fact]
    public async Task StaleWhileRevalidate_ServesStaleAtOnce_ThenRevalidatesInTheBackgroundOnce()
    {
        const string url = "/swr?cc=max-age=10,+stale-while-revalidate=60";
        (await _f.GetAsync(url)).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(15));

        using (var stale = await _f.GetAsync(url))
        {
            Assert.Equal("GET /swr #1", await stale.Content.ReadAsStringAsync());
            Assert.Contains("stale-while-revalidate", stale.CacheStatus());
        }
        using (var stillStale = await _f.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, stillStale.StatusCode);
        }

        var (refreshed, cacheStatus) = await Eventually.ValueAsync(async () =>
        {
            using var response = await _f.GetAsync(url);
            return (Body: await response.Content.ReadAsStringAsync(), CacheStatus: response.CacheStatus());
        }, r => r.Body == "GET /swr #2", TimeSpan.FromSeconds(10), r => $"the background revalidation to refresh the entry (last: {r.Body})");
        Assert.Equal("GET /swr #2", refreshed);
        Assert.StartsWith("CdnPlatform; hit", cacheStatus);
        Assert.Equal(2, _f.Origin.Hits("/swr"));
    }

    [Fact]
    public async Task StaleIfError_ServesStaleWhenOriginAnswers503()
    {
        (await _f.GetAsync("/sie?cc=max-age=10,+stale-if-error=60")).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(20));
        _f.Origin.ForcedStatus = 503;

        using var stale = await _f.GetAsync("/sie?cc=max-age=10,+stale-if-error=60");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal("GET /sie #1", await stale.Content.ReadAsStringAsync());
        Assert.Equal("CdnPlatform; fwd=stale; fwd-status=503; detail=\"stale-if-error\"", stale.CacheStatus());
    }

    [Fact]
    public async Task Origin503_WithoutStaleIfError_ReachesTheVisitor()
    {
        (await _f.GetAsync("/nosie?cc=max-age=10")).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(20));
        _f.Origin.ForcedStatus = 503;

        using var response = await _f.GetAsync("/nosie?cc=max-age=10");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task StaleIfError_PastItsWindow_LetsTheErrorThrough()
    {
        (await _f.GetAsync("/siepast?cc=max-age=10,+stale-if-error=30")).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(100));
        _f.Origin.ForcedStatus = 503;

        using var response = await _f.GetAsync("/siepast?cc=max-age=10,+stale-if-error=30");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Vary_StoresOneVariantPerRequestHeaderValue()
    {
        void Gzip(HttpRequestMessage r) => r.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        void Br(HttpRequestMessage r) => r.Headers.TryAddWithoutValidation("Accept-Encoding", "br");
        (await _f.SendAsync(HttpMethod.Get, "/vary?vary=Accept-Encoding", configure: Gzip)).Dispose();

        using var otherVariant = await _f.SendAsync(HttpMethod.Get, "/vary?vary=Accept-Encoding", configure: Br);
        Assert.Contains("fwd=vary-miss", otherVariant.CacheStatus());
        Assert.Equal("br", otherVariant.Header("X-Varied-On"));

        using var gzipHit = await _f.SendAsync(HttpMethod.Get, "/vary?vary=Accept-Encoding", configure: Gzip);
        Assert.StartsWith("CdnPlatform; hit", gzipHit.CacheStatus());
        Assert.Equal("gzip", gzipHit.Header("X-Varied-On"));
        using var brHit = await _f.SendAsync(HttpMethod.Get, "/vary?vary=Accept-Encoding", configure: Br);
        Assert.Equal("br", brHit.Header("X-Varied-On"));
        Assert.Equal(2, _f.Origin.Hits("/vary"));
    }

    [Fact]
    public async Task SuccessfulPost_InvalidatesTheStoredGet()
    {
        (await _f.GetAsync("/item")).Dispose();
        (await _f.SendAsync(HttpMethod.Post, "/item")).Dispose();

        using var after = await _f.GetAsync("/item");
        Assert.Contains("fwd=uri-miss", after.CacheStatus());
    }

    [Fact]
    public async Task RequestNoCache_RevalidatesEvenAFreshEntry()
    {
        (await _f.GetAsync("/nc?etag=x&cc=max-age=600")).Dispose();
        using var revalidated = await _f.SendAsync(HttpMethod.Get, "/nc?etag=x&cc=max-age=600",
            configure: r => r.Headers.TryAddWithoutValidation("Cache-Control", "no-cache"));
        Assert.Equal("CdnPlatform; fwd=request; fwd-status=304", revalidated.CacheStatus());
    }

    [Fact]
    public async Task OnlyIfCached_WithNothingStored_Is504()
    {
        using var response = await _f.SendAsync(HttpMethod.Get, "/oic",
            configure: r => r.Headers.TryAddWithoutValidation("Cache-Control", "only-if-cached"));
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(0, _f.Origin.Hits("/oic"));
    }

    [Fact]
    public async Task ConcurrentRequestsForAStaleEntry_MakeOneRevalidation()
    {
        (await _f.GetAsync("/stalecrowd?etag=s1&cc=max-age=10&delay=300")).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(20));

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _f.GetAsync("/stalecrowd?etag=s1&cc=max-age=10&delay=300")));
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
        Assert.Equal(1, _f.Origin.ConditionalHits("/stalecrowd"));
    }

    [Fact]
    public async Task HeuristicFreshness_AppliesToLastModifiedWithoutExplicitLifetime()
    {
        // Last modified 1000 s ago: 10 % of that, 100 s, is the heuristic lifetime (RFC 9111 §4.2.2).
        (await _f.GetAsync("/heur?nocc&lmago=1000")).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(50));
        using (var hit = await _f.GetAsync("/heur?nocc&lmago=1000"))
        {
            Assert.StartsWith("CdnPlatform; hit", hit.CacheStatus());
        }
        _f.Clock.Advance(TimeSpan.FromSeconds(60));
        using var stale = await _f.GetAsync("/heur?nocc&lmago=1000");
        Assert.Contains("fwd=stale", stale.CacheStatus());
    }

    [Fact]
    public async Task SiteDefaultTtl_TakesThePlaceOfTheHeuristic()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:Sites:0:DefaultTtlSeconds", "3600");
        (await f.GetAsync("/deft?nocc&lmago=1000")).Dispose();
        f.Clock.Advance(TimeSpan.FromSeconds(600));
        using var hit = await f.GetAsync("/deft?nocc&lmago=1000");
        Assert.StartsWith("CdnPlatform; hit", hit.CacheStatus());
    }

    [Fact]
    public async Task SuccessfulPost_InvalidatesItsSameHostLocation_ButNeverAnotherHost()
    {
        (await _f.GetAsync("/target")).Dispose();
        (await _f.SendAsync(HttpMethod.Post, "/form?location=/target")).Dispose();
        using (var after = await _f.GetAsync("/target"))
        {
            Assert.Contains("fwd=uri-miss", after.CacheStatus());
        }

        (await _f.SendAsync(HttpMethod.Post, "/form?location=http://elsewhere.test/target")).Dispose();
        using var stillCached = await _f.GetAsync("/target");
        Assert.StartsWith("CdnPlatform; hit", stillCached.CacheStatus());
    }

    [Fact]
    public async Task SiteIgnoringClientNoCache_ServesTheHitAnyway()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:Sites:0:IgnoreClientNoCache", "true");
        (await f.GetAsync("/reload")).Dispose();
        using var response = await f.SendAsync(HttpMethod.Get, "/reload",
            configure: r => r.Headers.TryAddWithoutValidation("Cache-Control", "no-cache, max-age=0"));
        Assert.StartsWith("CdnPlatform; hit", response.CacheStatus());
        Assert.Equal(1, f.Origin.Hits("/reload"));
    }

    [Fact]
    public async Task IgnoredQueryParameters_ShareOneEntry_AndSortedParametersToo()
    {
        await using var f = await EdgeFixture.StartAsync(null,
            "--Edge:Sites:0:IgnoredQueryParameters:0", "utm_*", "--Edge:Sites:0:IgnoredQueryParameters:1", "gclid",
            "--Edge:Sites:0:SortQueryParameters", "true");
        (await f.GetAsync("/shoes?size=42&color=red")).Dispose();
        using var tracked = await f.GetAsync("/shoes?utm_source=mail&color=red&gclid=x&size=42&utm_medium=email");
        Assert.StartsWith("CdnPlatform; hit", tracked.CacheStatus());
        using var other = await f.GetAsync("/shoes?size=43&color=red");
        Assert.Contains("fwd=uri-miss", other.CacheStatus());
    }
}
