using CdnPlatform.Testing;
using System.Threading.Channels;
using CdnPlatform.Cluster.Purging;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Edge.Tests;

public sealed class EdgePurgeTests
{
    [Fact]
    public async Task StartUpWarmUp_LeavesTheEdgesStoreAndTheLogAlone()
    {
        await using var f = await EdgeFixture.StartAsync();
        var store = f.Edge.Services.GetRequiredService<CdnPlatform.Caching.Storage.MemoryCacheStore>();

        // The warm-up applied a URL, prefix, tag and whole-site purge to a scratch store: none of it here.
        Assert.DoesNotContain(f.Logs.Entries, e => e.Category.EndsWith("PurgeListener", StringComparison.Ordinal));
        Assert.Equal(0, store.Generation);
        Assert.Equal(0, store.PendingBans);
        Assert.Empty((await f.Bus.ReadAsync(0, 10)).Entries);
        (await f.GetAsync("/warm-up")).Dispose();
        using var hit = await f.GetAsync("/warm-up");
        Assert.StartsWith("CdnPlatform; hit", hit.CacheStatus());
    }

    [Fact]
    public async Task Purge_RemovesTheUrlUnderBothSchemes_ThenAcknowledges()
    {
        await using var f = await EdgeFixture.StartAsync();
        var acks = Channel.CreateUnbounded<PurgeAck>();
        await using var _ = await f.Bus.SubscribeAcksAsync(a => acks.Writer.WriteAsync(a).AsTask());
        (await f.GetAsync("/p")).Dispose();
        (await f.GetAsync("/other")).Dispose();

        // The visitor came over http; a purge naming https must still reach it.
        await f.Bus.PublishAsync(new PurgeMessage("id-1", "shop", ["https://www.shop.test/p"], DateTimeOffset.UtcNow));
        var ack = await acks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new PurgeAck("id-1", "test", f.Clock.GetUtcNow()), ack);

        using var purged = await f.GetAsync("/p");
        Assert.Contains("fwd=uri-miss", purged.CacheStatus());
        using var untouched = await f.GetAsync("/other");
        Assert.StartsWith("CdnPlatform; hit", untouched.CacheStatus());
        Assert.Equal(2, f.Origin.Hits("/p"));
    }

    [Fact]
    public async Task Purge_OfAUrlWithoutAPort_ReachesEntriesStoredUnderTheEdgesOwnPort_NotUnderAPortAVisitorMadeUp()
    {
        await using var f = await EdgeFixture.StartAsync();
        var acks = Channel.CreateUnbounded<PurgeAck>();
        await using var _ = await f.Bus.SubscribeAcksAsync(a => acks.Writer.WriteAsync(a).AsTask());
        // The fixture's edge listens on a port the kernel chose, never 80: a visitor who reaches it there says so in Host.
        var atEdgePort = $"{EdgeFixture.Host}:{new Uri(f.Edge.Urls.First()).Port}";
        var madeUp = $"{EdgeFixture.Host}:1234";
        foreach (var host in new[] { EdgeFixture.Host, atEdgePort, madeUp })
        {
            (await f.GetAsync("/caf%C3%A9?size=1", host)).Dispose();
            (await f.GetAsync("/dir/x", host)).Dispose();
            using var stored = await f.GetAsync("/dir/x", host);
            Assert.StartsWith("CdnPlatform; hit", stored.CacheStatus());
        }

        await f.Bus.PublishAsync(new PurgeMessage("id-ports", "shop", ["https://www.shop.test/caf%C3%A9?size=1"], DateTimeOffset.UtcNow)
        {
            Prefixes = ["http://www.shop.test/dir/"],
        });
        await acks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        foreach (var host in new[] { EdgeFixture.Host, atEdgePort })
        {
            using var url = await f.GetAsync("/caf%C3%A9?size=1", host);
            Assert.Contains("fwd=uri-miss", url.CacheStatus());
            using var prefixed = await f.GetAsync("/dir/x", host);
            Assert.Contains("fwd=uri-miss", prefixed.CacheStatus());
        }
        // Any port may be named in Host on any connection; what that stored answers only the same Host again.
        using var madeUpUrl = await f.GetAsync("/caf%C3%A9?size=1", madeUp);
        Assert.StartsWith("CdnPlatform; hit", madeUpUrl.CacheStatus());
    }

    [Fact]
    public async Task PurgeWithMalformedUrl_StillAcknowledges_AndAppliesTheRest()
    {
        await using var f = await EdgeFixture.StartAsync();
        var acks = Channel.CreateUnbounded<PurgeAck>();
        await using var _ = await f.Bus.SubscribeAcksAsync(a => acks.Writer.WriteAsync(a).AsTask());
        (await f.GetAsync("/p")).Dispose();

        await f.Bus.PublishAsync(new PurgeMessage("id-2", "shop", ["::junk::", "http://www.shop.test/p"], DateTimeOffset.UtcNow));
        await acks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        using var purged = await f.GetAsync("/p");
        Assert.Contains("fwd=uri-miss", purged.CacheStatus());
    }

    [Fact]
    public async Task Purge_OfAPercentEncodedUrl_MatchesWhatTheVisitorFetched()
    {
        await using var f = await EdgeFixture.StartAsync();
        var acks = Channel.CreateUnbounded<PurgeAck>();
        await using var _ = await f.Bus.SubscribeAcksAsync(a => acks.Writer.WriteAsync(a).AsTask());
        (await f.GetAsync("/caf%C3%A9/a%20b?q=%C3%A9")).Dispose();
        using (var hit = await f.GetAsync("/caf%C3%A9/a%20b?q=%C3%A9"))
        {
            Assert.StartsWith("CdnPlatform; hit", hit.CacheStatus());
        }

        await f.Bus.PublishAsync(new PurgeMessage("id-3", "shop", ["http://www.shop.test/café/a b?q=%C3%A9"], DateTimeOffset.UtcNow));
        await acks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        using var purged = await f.GetAsync("/caf%C3%A9/a%20b?q=%C3%A9");
        Assert.Contains("fwd=uri-miss", purged.CacheStatus());
    }

    [Fact]
    public async Task PurgeDuringAnInFlightFetch_KeepsThatResponseOutOfTheCache()
    {
        await using var f = await EdgeFixture.StartAsync();
        var acks = Channel.CreateUnbounded<PurgeAck>();
        await using var _ = await f.Bus.SubscribeAcksAsync(a => acks.Writer.WriteAsync(a).AsTask());

        // The fetch starts before the purge and ends after its acknowledgement: what it brings may be
        // exactly the content the purge was for, so it must not become a hit.
        var inFlight = f.GetAsync("/racing?delay=1000");
        // Purge only once the origin has the request (the edge's fetch has begun), however slow the start-up.
        await Eventually.TrueAsync(() => f.Origin.Hits("/racing") > 0, TimeSpan.FromSeconds(10), "the fetch to reach the origin");
        await f.Bus.PublishAsync(new PurgeMessage("id-4", "shop", ["http://www.shop.test/racing?delay=1000"], DateTimeOffset.UtcNow));
        await acks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        using (var first = await inFlight)
        {
            Assert.Equal("GET /racing #1", await first.Content.ReadAsStringAsync());
        }

        using var next = await f.GetAsync("/racing?delay=1000");
        Assert.Contains("fwd=uri-miss", next.CacheStatus());
        Assert.Equal("GET /racing #2", await next.Content.ReadAsStringAsync());
    }

    private static async Task PurgeAndWaitAsync(EdgeFixture f, PurgeMessage purge)
    {
        var acked = new TaskCompletionSource();
        await using var _ = await f.Bus.SubscribeAcksAsync(a =>
        {
            if (a.PurgeId == purge.Id)
            {
                acked.TrySetResult();
            }
            return Task.CompletedTask;
        });
        await f.Bus.PublishAsync(purge);
        await acked.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<string> StatusOf(EdgeFixture f, string url, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await f.SendAsync(HttpMethod.Get, url, configure: configure);
        return response.CacheStatus();
    }

    [Fact]
    public async Task PrefixPurge_InvalidatesEverythingUnderIt_AndNothingElse()
    {
        await using var f = await EdgeFixture.StartAsync();
        foreach (var url in new[] { "/products/a", "/products/b?x=1", "/productsale", "/about" })
        {
            (await f.GetAsync(url)).Dispose();
        }
        await PurgeAndWaitAsync(f, new PurgeMessage("p", "shop", [], DateTimeOffset.UtcNow) { Prefixes = ["https://www.shop.test/products/"] });

        Assert.Contains("fwd=uri-miss", await StatusOf(f, "/products/a"));
        Assert.Contains("fwd=uri-miss", await StatusOf(f, "/products/b?x=1"));
        Assert.StartsWith("CdnPlatform; hit", await StatusOf(f, "/productsale"));
        Assert.StartsWith("CdnPlatform; hit", await StatusOf(f, "/about"));
    }

    [Fact]
    public async Task TagPurge_InvalidatesTaggedResponses_AndTagsNeverReachVisitors()
    {
        await using var f = await EdgeFixture.StartAsync();
        using (var tagged = await f.GetAsync("/t1?skey=product-1+page"))
        {
            Assert.False(tagged.Headers.Contains("Surrogate-Key"));
        }
        (await f.GetAsync("/t2?skey=product-2+page")).Dispose();
        using (var hit = await f.GetAsync("/t1?skey=product-1+page"))
        {
            Assert.False(hit.Headers.Contains("Surrogate-Key"));
        }

        await PurgeAndWaitAsync(f, new PurgeMessage("t", "shop", [], DateTimeOffset.UtcNow) { Tags = ["product-1"] });

        Assert.Contains("fwd=uri-miss", await StatusOf(f, "/t1?skey=product-1+page"));
        Assert.StartsWith("CdnPlatform; hit", await StatusOf(f, "/t2?skey=product-2+page"));
    }

    [Fact]
    public async Task AllPurge_InvalidatesTheWholeSite()
    {
        await using var f = await EdgeFixture.StartAsync();
        (await f.GetAsync("/x")).Dispose();
        (await f.GetAsync("/y/z")).Dispose();
        (await f.GetAsync("/port", host: "www.shop.test:8080")).Dispose();

        await PurgeAndWaitAsync(f, new PurgeMessage("a", "shop", [], DateTimeOffset.UtcNow) { All = true });

        Assert.Contains("fwd=uri-miss", await StatusOf(f, "/x"));
        Assert.Contains("fwd=uri-miss", await StatusOf(f, "/y/z"));
        using var ported = await f.GetAsync("/port", host: "www.shop.test:8080");
        Assert.Contains("fwd=uri-miss", ported.CacheStatus());
    }

    [Fact]
    public async Task UrlPurge_RemovesEveryVaryVariant()
    {
        await using var f = await EdgeFixture.StartAsync();
        void Gzip(HttpRequestMessage r) => r.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        void Br(HttpRequestMessage r) => r.Headers.TryAddWithoutValidation("Accept-Encoding", "br");
        (await f.SendAsync(HttpMethod.Get, "/v?vary=Accept-Encoding", configure: Gzip)).Dispose();
        (await f.SendAsync(HttpMethod.Get, "/v?vary=Accept-Encoding", configure: Br)).Dispose();

        await PurgeAndWaitAsync(f, new PurgeMessage("v", "shop", ["http://www.shop.test/v?vary=Accept-Encoding"], DateTimeOffset.UtcNow));

        Assert.Contains("fwd=uri-miss", await StatusOf(f, "/v?vary=Accept-Encoding", Gzip));
        Assert.Contains("fwd=vary-miss", await StatusOf(f, "/v?vary=Accept-Encoding", Br));
    }

    [Fact]
    public async Task SoftPurge_LeavesTheEntryForStaleIfError_HardPurgeDoesNot()
    {
        await using var f = await EdgeFixture.StartAsync();
        (await f.GetAsync("/soft?cc=max-age=600,+stale-if-error=600")).Dispose();
        (await f.GetAsync("/hard?cc=max-age=600,+stale-if-error=600")).Dispose();

        await PurgeAndWaitAsync(f, new PurgeMessage("s", "shop", ["http://www.shop.test/soft?cc=max-age=600,+stale-if-error=600"], DateTimeOffset.UtcNow) { Soft = true });
        await PurgeAndWaitAsync(f, new PurgeMessage("h", "shop", ["http://www.shop.test/hard?cc=max-age=600,+stale-if-error=600"], DateTimeOffset.UtcNow));
        f.Origin.ForcedStatus = 503;

        using var soft = await f.GetAsync("/soft?cc=max-age=600,+stale-if-error=600");
        Assert.Equal(System.Net.HttpStatusCode.OK, soft.StatusCode);
        Assert.Contains("stale-if-error", soft.CacheStatus());
        using var hard = await f.GetAsync("/hard?cc=max-age=600,+stale-if-error=600");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, hard.StatusCode);
    }

    [Fact]
    public async Task SoftPurgedEntry_IsNeverServedAsFresh()
    {
        await using var f = await EdgeFixture.StartAsync();
        (await f.GetAsync("/sf?etag=e1&cc=max-age=600")).Dispose();
        await PurgeAndWaitAsync(f, new PurgeMessage("sf", "shop", ["http://www.shop.test/sf?etag=e1&cc=max-age=600"], DateTimeOffset.UtcNow) { Soft = true });

        // Revalidated (a 304 here) rather than served as a hit.
        Assert.Equal("CdnPlatform; fwd=stale; fwd-status=304", await StatusOf(f, "/sf?etag=e1&cc=max-age=600"));
    }
}
