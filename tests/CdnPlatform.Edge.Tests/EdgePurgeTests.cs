using System.Threading.Channels;
using CdnPlatform.Cluster.Purging;

namespace CdnPlatform.Edge.Tests;

public sealed class EdgePurgeTests
{
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
        var inFlight = f.GetAsync("/racing?delay=700");
        await Task.Delay(200);
        await f.Bus.PublishAsync(new PurgeMessage("id-4", "shop", ["http://www.shop.test/racing?delay=700"], DateTimeOffset.UtcNow));
        await acks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        using (var first = await inFlight)
        {
            Assert.Equal("GET /racing #1", await first.Content.ReadAsStringAsync());
        }

        using var next = await f.GetAsync("/racing?delay=700");
        Assert.Contains("fwd=uri-miss", next.CacheStatus());
        Assert.Equal("GET /racing #2", await next.Content.ReadAsStringAsync());
    }
}
