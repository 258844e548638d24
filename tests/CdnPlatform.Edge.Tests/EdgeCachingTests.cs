using System.Net;

namespace CdnPlatform.Edge.Tests;

/// <summary>The edge's request path over real sockets: what it stores, serves from memory, and refuses.</summary>
public sealed class EdgeCachingTests : IAsyncLifetime
{
    private EdgeFixture _f = null!;

    public async Task InitializeAsync() => _f = await EdgeFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task FirstGet_IsStoredMiss_SecondIsHitWithoutOriginTrip()
    {
        using var first = await _f.GetAsync("/page");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("CdnPlatform; fwd=uri-miss; fwd-status=200; stored", first.CacheStatus());

        using var second = await _f.GetAsync("/page");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.StartsWith("CdnPlatform; hit; ttl=", second.CacheStatus());
        Assert.Equal("GET /page #1", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, _f.Origin.Hits("/page"));
        Assert.Equal("text/plain", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Hit_ReportsAgeAndTtl_FromTheMovedClock()
    {
        (await _f.GetAsync("/aged?cc=public,+s-maxage=100")).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(30));

        using var hit = await _f.GetAsync("/aged?cc=public,+s-maxage=100");
        var age = int.Parse(hit.Header("Age")!);
        // The origin's Date has one-second resolution, so the stored age may start at up to 1 s.
        Assert.InRange(age, 30, 31);
        Assert.Contains($"ttl={100 - age}", hit.CacheStatus());
    }

    [Fact]
    public async Task ExpiredEntry_IsFetchedAgain_AsStale()
    {
        (await _f.GetAsync("/short?cc=public,+s-maxage=10")).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(12));

        using var refetched = await _f.GetAsync("/short?cc=public,+s-maxage=10");
        Assert.Equal("CdnPlatform; fwd=stale; fwd-status=200; stored", refetched.CacheStatus());
        Assert.Equal(2, _f.Origin.Hits("/short"));
    }

    [Fact]
    public async Task SharedMaxAge_WinsOverMaxAge()
    {
        (await _f.GetAsync("/smax?cc=public,+max-age=5,+s-maxage=100")).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(50));

        using var hit = await _f.GetAsync("/smax?cc=public,+max-age=5,+s-maxage=100");
        Assert.StartsWith("CdnPlatform; hit", hit.CacheStatus());
    }

    [Theory]
    [InlineData("/nostore?cc=no-store", "no-store")]
    [InlineData("/private?cc=private,+max-age=60", "private")]
    [InlineData("/zero?cc=public,+max-age=0", "max-age=0")]
    [InlineData("/nolifetime?cc=public", "no explicit lifetime")]
    [InlineData("/cookie?cookie=1", "Set-Cookie")]
    public async Task UncacheableResponse_IsNotStored(string url, string why)
    {
        using var first = await _f.GetAsync(url);
        Assert.DoesNotContain("stored", first.CacheStatus());
        using var second = await _f.GetAsync(url);
        Assert.DoesNotContain("hit", second.CacheStatus());
        Assert.True(_f.Origin.Hits(url.Split('?')[0]) == 2, $"a response with {why} was served from cache");
    }

    [Fact]
    public async Task RequestWithAuthorization_IsNotStored_UnlessResponseIsPublic()
    {
        void WithAuth(HttpRequestMessage r) => r.Headers.TryAddWithoutValidation("Authorization", "Bearer visitor");
        (await _f.SendAsync(HttpMethod.Get, "/auth?cc=max-age=60", configure: WithAuth)).Dispose();
        using var again = await _f.SendAsync(HttpMethod.Get, "/auth?cc=max-age=60", configure: WithAuth);
        Assert.Equal(2, _f.Origin.Hits("/auth"));

        (await _f.SendAsync(HttpMethod.Get, "/authpublic?cc=public,+max-age=60", configure: WithAuth)).Dispose();
        using var hit = await _f.SendAsync(HttpMethod.Get, "/authpublic?cc=public,+max-age=60", configure: WithAuth);
        Assert.StartsWith("CdnPlatform; hit", hit.CacheStatus());
    }

    [Fact]
    public async Task QueryString_IsPartOfTheKey()
    {
        (await _f.GetAsync("/q?a=1")).Dispose();
        using var other = await _f.GetAsync("/q?a=2");
        Assert.Contains("fwd=uri-miss", other.CacheStatus());
        Assert.Equal(2, _f.Origin.Hits("/q"));
    }

    [Fact]
    public async Task Head_AfterGet_IsHitWithHeadersButNoBody()
    {
        (await _f.GetAsync("/headme")).Dispose();
        using var head = await _f.SendAsync(HttpMethod.Head, "/headme");
        Assert.StartsWith("CdnPlatform; hit", head.CacheStatus());
        Assert.Equal("GET /headme #1".Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, _f.Origin.Hits("/headme"));
    }

    [Fact]
    public async Task Post_GoesToOrigin_AndIsNeverStored()
    {
        using var post = await _f.SendAsync(HttpMethod.Post, "/cart");
        Assert.Equal("CdnPlatform; fwd=method; fwd-status=200", post.CacheStatus());
        using var get = await _f.GetAsync("/cart");
        Assert.Contains("fwd=uri-miss", get.CacheStatus());
        Assert.Equal(2, _f.Origin.Hits("/cart"));
    }

    [Fact]
    public async Task OriginSeesTheVisitorsHost()
    {
        using var response = await _f.GetAsync("/host");
        Assert.Equal(EdgeFixture.Host, response.Header("X-Origin-Host"));
    }

    [Fact]
    public async Task ResponseLargerThanMaxObjectBytes_IsServedWhole_ButNotStored()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:MaxObjectBytes", "1000");
        using var big = await f.GetAsync("/big?size=5000");
        Assert.Equal(5000, (await big.Content.ReadAsByteArrayAsync()).Length);
        Assert.DoesNotContain("stored", big.CacheStatus());
        (await f.GetAsync("/big?size=5000")).Dispose();
        Assert.Equal(2, f.Origin.Hits("/big"));

        using var small = await f.GetAsync("/small?size=500");
        Assert.Contains("stored", small.CacheStatus());
    }

    [Fact]
    public async Task ChunkedResponseThatOutgrowsMaxObjectBytes_IsServedWhole_ButNotStored()
    {
        // Without Content-Length the size is known only once the body has streamed past the limit; the
        // visitor still gets every byte, and the copy is dropped.
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:MaxObjectBytes", "1000");
        using var big = await f.GetAsync("/bigchunked?size=5000&chunked");
        Assert.Equal(5000, (await big.Content.ReadAsByteArrayAsync()).Length);
        using var again = await f.GetAsync("/bigchunked?size=5000&chunked");
        Assert.DoesNotContain("hit", again.CacheStatus());
        Assert.Equal(2, f.Origin.Hits("/bigchunked"));
    }

    [Fact]
    public async Task Hop_Hit_KeepsOriginHeaders_AndDropsHopByHop()
    {
        (await _f.GetAsync("/hdr")).Dispose();
        using var hit = await _f.GetAsync("/hdr");
        Assert.Equal("1", hit.Header("X-Origin-Count"));
        Assert.Null(hit.Headers.TransferEncodingChunked is true ? "chunked" : null);
        Assert.Equal("GET /hdr #1".Length, hit.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task PrivateQualifiedFields_AreNotReplayedFromCache()
    {
        (await _f.GetAsync("/pq?cc=public,+s-maxage=60,+private=\"X-Origin-Count\"")).Dispose();
        using var hit = await _f.GetAsync("/pq?cc=public,+s-maxage=60,+private=\"X-Origin-Count\"");
        Assert.StartsWith("CdnPlatform; hit", hit.CacheStatus());
        Assert.Null(hit.Header("X-Origin-Count"));
        Assert.NotNull(hit.Header("X-Origin-Host"));
    }

    [Fact]
    public async Task NoCacheResponse_IsStored_ButRevalidatedBeforeEveryUse()
    {
        using (var first = await _f.GetAsync("/nocache?etag=n1&cc=no-cache,+max-age=60"))
        {
            Assert.Contains("stored", first.CacheStatus());
        }
        using var second = await _f.GetAsync("/nocache?etag=n1&cc=no-cache,+max-age=60");
        Assert.Equal("CdnPlatform; fwd=stale; fwd-status=304", second.CacheStatus());
        Assert.Equal("GET /nocache #1", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, _f.Origin.ConditionalHits("/nocache"));
    }

    [Fact]
    public async Task VisitorsMatchingETag_Gets304FromCache()
    {
        (await _f.GetAsync("/cond?etag=abc")).Dispose();
        using var response = await _f.SendAsync(HttpMethod.Get, "/cond?etag=abc",
            configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"abc\""));
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.StartsWith("CdnPlatform; hit", response.CacheStatus());
        Assert.Equal(1, _f.Origin.Hits("/cond"));
    }

    [Fact]
    public async Task VisitorsStaleETag_GetsTheFull200FromCache()
    {
        (await _f.GetAsync("/cond2?etag=abc")).Dispose();
        using var response = await _f.SendAsync(HttpMethod.Get, "/cond2?etag=abc",
            configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"old\""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET /cond2 #1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FieldValueWithObsText_PassesThroughAndIsMatched()
    {
        using (var first = await _f.GetAsync("/obs?etag=x&obstext"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using var response = await _f.SendAsync(HttpMethod.Get, "/obs?etag=x&obstext", configure: r =>
            r.Headers.TryAddWithoutValidation("If-None-Match", "\"abc\u00fc\""));
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(1, _f.Origin.Hits("/obs"));
    }
}
