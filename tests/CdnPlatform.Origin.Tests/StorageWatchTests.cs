using System.Net;
using System.Text.Json;
using CdnPlatform.Origin.Storage;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Tests;

/// <summary>
/// A stalled Redis (SIGSTOP: connections open, nothing answered) on a real redis-server: the watch counts the silence
/// from the first unanswered ping on a moved clock, and a node's <c>/healthz</c> says "not ready" without waiting on
/// the stalled Redis itself.
/// </summary>
public sealed class StorageWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);
    private readonly RedisServer _redis = new();
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        // A short client timeout so that a ping to the paused server fails within the test, as one does after 3 s in a node.
        _connection = await ConnectionMultiplexer.ConnectAsync($"{_redis.Endpoint},asyncTimeout=300,syncTimeout=300");
    }

    public async Task DisposeAsync()
    {
        await _redis.ResumeAsync();
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Silence_RunsFromTheFirstUnansweredPing_ThroughFailedOnes_AndEndsAtAnAnswer()
    {
        var clock = new FakeTimeProvider();
        var watch = new StorageWatch(_connection, Limit, clock, NullLogger<StorageWatch>.Instance);
        await watch.PingAsync();
        Assert.Equal(TimeSpan.Zero, watch.Silence);

        await _redis.PauseAsync();
        var first = watch.PingAsync();
        clock.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Equal(TimeSpan.FromMilliseconds(900), watch.Silence);
        Assert.False(watch.IsSilent);
        await first; // failed: the client's timeout
        clock.Advance(TimeSpan.FromMilliseconds(200));
        var second = watch.PingAsync();
        Assert.Equal(TimeSpan.FromMilliseconds(1100), watch.Silence);
        Assert.True(watch.IsSilent);

        await _redis.ResumeAsync();
        await second;
        await watch.PingAsync();
        Assert.Equal(TimeSpan.Zero, watch.Silence);
        Assert.False(watch.IsSilent);
    }

    [Fact]
    public async Task SilenceToken_IsCancelledAsTheSilenceReachesTheLimit_AndAFreshOneFollowsTheNextAnswer()
    {
        var clock = new FakeTimeProvider();
        var watch = new StorageWatch(_connection, Limit, clock, NullLogger<StorageWatch>.Instance);
        var spell = watch.SilenceToken;
        // Answered pings over more than the limit: the timer each one starts is stopped by its answer.
        for (var i = 0; i < 6; i++)
        {
            await watch.PingAsync();
            clock.Advance(Limit / 4);
        }
        Assert.False(spell.IsCancellationRequested);

        await _redis.PauseAsync();
        var first = watch.PingAsync();
        clock.Advance(TimeSpan.FromMilliseconds(900));
        Assert.False(spell.IsCancellationRequested);
        await first; // failed: the client's timeout; the silence goes on
        var second = watch.PingAsync();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(spell.IsCancellationRequested);
        Assert.True(watch.SilenceToken.IsCancellationRequested);

        await _redis.ResumeAsync();
        await second;
        await watch.PingAsync();
        var next = watch.SilenceToken;
        Assert.False(next.IsCancellationRequested);
        clock.Advance(Limit * 2);
        Assert.False(next.IsCancellationRequested);
    }

    [Fact]
    public async Task A_node_whose_Redis_stalls_says_so_on_healthz_without_waiting_for_it()
    {
        await using var node = await ReadyNodeAsync("watch");

        await _redis.PauseAsync();
        // Without the watch the check would ask the stalled Redis and wait for its client's timeout: "storage
        // unreachable: Timeout performing ...", never this.
        var (status, reason) = await Eventually.ValueAsync(() => HealthAsync(node),
            health => health.Reason?.Contains("no answer to a ping") == true, Eventually.Patience, health => $"{health}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var stalled = await SilenceAsync(node);
        Assert.True(stalled >= 1, $"cdn_origin_storage_silence_seconds {stalled} during the stall ({reason})");
        await _redis.ResumeAsync();
        await Eventually.TrueAsync(async () => (await HealthAsync(node)).Status == HttpStatusCode.OK, Eventually.Patience, "node ready once Redis answers");
        // Back to the time a ping takes (one may be on its way at the scrape).
        await Eventually.TrueAsync(async () => await SilenceAsync(node) < 0.25, Eventually.Patience, "silence back near 0 once Redis answers");
    }

    private static async Task<double> SilenceAsync(ShopNode node)
    {
        var scrape = await PrometheusText.ParseAsync(await node.Client.GetStringAsync("/metrics"));
        Assert.Equal("gauge", scrape.TypeOf("cdn_origin_storage_silence_seconds"));
        return scrape.Sum("cdn_origin_storage_silence_seconds", ("node", "n1"), ("datacenter", "primary"));
    }

    [Fact]
    public async Task While_Redis_is_silent_a_read_that_needs_it_is_turned_away_at_once_and_a_write_waits_for_it()
    {
        await using var node = await ReadyNodeAsync("reads");
        var shopper = new Visitor();
        using (var added = await shopper.PostFormAsync(node.Client, "/cart", ("productId", "101")))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        }

        await _redis.PauseAsync();
        await Eventually.TrueAsync(async () => (await HealthAsync(node)).Reason?.Contains("no answer to a ping") == true, Eventually.Patience,
            "the node never found its Redis silent");
        using var read = await shopper.GetAsync(node.Client, "/products/102");
        var write = shopper.PostFormAsync(node.Client, "/cart", ("productId", "102"));
        using var diagnostics = await node.Client.GetAsync("/whoami");
        await Task.Delay(200);
        await _redis.ResumeAsync();

        // Turned away without asking Redis: the edge takes it to the failover origin or serves its stale copy.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
        Assert.Equal("1", read.Headers.RetryAfter?.ToString());
        Assert.Contains("storage is not answering", await read.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, diagnostics.StatusCode);
        // The write waited for the stall to end and was done.
        using var written = await write;
        Assert.True(written.StatusCode == HttpStatusCode.OK, $"{(int)written.StatusCode} {await written.Content.ReadAsStringAsync()}\n{node.Errors}");
        var cart = await shopper.CartAsync(node.Client);
        Assert.Equal([101, 102], cart.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("productId").GetInt32()));
    }

    [Fact]
    public async Task A_read_already_waiting_on_Redis_when_it_stalls_is_turned_away_as_the_node_finds_the_silence()
    {
        // A 2 s limit: the watch cannot find the silence sooner than 1.5 s after the pause (a ping sent up to a quarter
        // of it before), which leaves a loaded machine that long to get the reads to Redis first, while each read's own
        // timeout (the client's 3 s) still comes after the watch's finding.
        await using var node = await ReadyNodeAsync("caught", "--Origin:StorageSilenceMilliseconds", "2000");
        var shopper = new Visitor();
        using (var added = await shopper.PostFormAsync(node.Client, "/cart", ("productId", "101")))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        }

        await _redis.PauseAsync();
        // Sent at once, before the watch can have found the silence: each read reaches the stalled Redis (the render
        // cache, the content, the session) and waits there.
        var page = node.Client.GetAsync("/products/102");
        var cart = shopper.GetAsync(node.Client, "/cart");
        using var pageRead = await page;
        using var cartRead = await cart;
        await _redis.ResumeAsync();

        // Without the token the reads waited for the node's Redis client to time out (3 s) and were answered "the
        // datacenter's storage is unreachable" with Retry-After: 5.
        foreach (var read in new[] { pageRead, cartRead })
        {
            var body = await read.Content.ReadAsStringAsync();
            Assert.True(read.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)read.StatusCode} {body}");
            Assert.Equal("1", read.Headers.RetryAfter?.ToString());
            Assert.Contains("stopped answering", body);
        }
        // The node answers again once Redis does, with what it held before.
        await Eventually.TrueAsync(async () => (await HealthAsync(node)).Status == HttpStatusCode.OK, Eventually.Patience, "node ready once Redis answers");
        var items = await shopper.CartAsync(node.Client);
        Assert.Equal([101], items.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("productId").GetInt32()));
    }

    [Fact]
    public async Task The_silence_turns_away_a_read_that_has_not_answered_yet_and_never_cuts_an_answer_already_going_out()
    {
        var clock = new FakeTimeProvider();
        var watch = new StorageWatch(_connection, Limit, clock, NullLogger<StorageWatch>.Instance);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(watch);
        await using var app = builder.Build();
        var answering = new TaskCompletionSource();
        var waiting = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        app.UseRouting();
        app.UseStorageUnavailable();
        // Both wait on the request's token where a read would wait on the storage; one has begun its answer.
        app.MapGet("/answering", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("begun;");
            await context.Response.Body.FlushAsync();
            answering.SetResult();
            await release.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("ended");
        });
        app.MapGet("/waiting", async (HttpContext context) =>
        {
            waiting.SetResult();
            await release.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("never");
        });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var going = await client.GetAsync("/answering", HttpCompletionOption.ResponseHeadersRead);
        await answering.Task.WaitAsync(Eventually.Patience);
        var turned = client.GetAsync("/waiting");
        await waiting.Task.WaitAsync(Eventually.Patience);

        await _redis.PauseAsync();
        var ping = watch.PingAsync();
        clock.Advance(Limit + TimeSpan.FromMilliseconds(100));
        using var turnedAway = await turned.WaitAsync(Eventually.Patience);
        release.SetResult();
        var body = await going.Content.ReadAsStringAsync();
        await _redis.ResumeAsync();
        await ping;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, turnedAway.StatusCode);
        Assert.Contains("stopped answering", await turnedAway.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, going.StatusCode);
        Assert.Equal("begun;ended", body);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_check_that_finds_Redis_stalling_gives_up_on_it_after_half_the_silence_limit()
    {
        // A limit of 4 s: the watch says nothing for 4 s after the stall, the check's budget is 2 s (the client's own
        // timeout is 3 s, after which the old check said "Timeout performing ...").
        await using var node = await ReadyNodeAsync("budget", "--Origin:StorageSilenceMilliseconds", "4000");

        await _redis.PauseAsync();
        var (status, reason) = await HealthAsync(node);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("storage unreachable: no answer within 2000 ms", reason);
    }

    // A node on the test's Redis under a key prefix of its own, once its /healthz says ready.
    private async Task<ShopNode> ReadyNodeAsync(string prefix, params string[] settings)
    {
        var node = await ShopNode.StartAsync("n1", settings:
            ["--Origin:Redis", _redis.Endpoint, "--Origin:KeyPrefix", prefix + "-" + Guid.NewGuid().ToString("N")[..8], .. settings]);
        try
        {
            await Eventually.TrueAsync(async () => (await node.Client.GetAsync("/healthz")).IsSuccessStatusCode, Eventually.Patience, "node ready");
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    private static async Task<(HttpStatusCode Status, string? Reason)> HealthAsync(ShopNode node)
    {
        using var response = await node.Client.GetAsync("/healthz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
    }
}
