using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control.CloudFront;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Control.Tests.CloudFront;

/// <summary>A purge of a site behind CloudFront invalidates its distribution too, and the status says how that went.</summary>
public sealed class CloudFrontPurgeFlowTests : IAsyncLifetime
{
    private const string Key = "cloudfront-flow-key-0123456789";
    private readonly TimerCountingTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private FakeCloudFront _cloudFront = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _cloudFront = await FakeCloudFront.StartAsync(_clock);
        _app = ControlHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
            "--Control:ApiKey", Key, "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:Sites:0:CloudFront:DistributionIds:0", "EDFDVBD6EXAMPLE",
            "--Control:Sites:0:CloudFront:Endpoint", _cloudFront.Endpoint.ToString(),
            "--Control:Sites:0:CloudFront:AccessKeyId", FakeCloudFront.AccessKeyId,
            "--Control:Sites:0:CloudFront:SecretAccessKey", FakeCloudFront.SecretAccessKey,
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
            // No traffic poll: its timer would be counted with the retries' below.
            "--Control:Traffic:PollMilliseconds", "0",
        ], services => services.AddSingleton<IPurgeBus>(new InMemoryPurgeBus()).AddSingleton<TimeProvider>(_clock));
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _cloudFront.DisposeAsync();
    }

    [Fact]
    public async Task Purge_BecomesASignedInvalidation_AndItsProgressShowsInTheStatus()
    {
        using var response = await _client.PostAsync("/v1/purge", new StringContent(
            """{"site":"shop","urls":["http://www.shop.test/a?b=1"],"prefixes":["http://www.shop.test/assets/"],"tags":["product-1"]}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var target = await WaitForTargetAsync(id!, state => state != "submitting");
        Assert.Equal("in-progress", target.GetProperty("state").GetString());
        var request = Assert.Single(_cloudFront.Requests);
        var paths = request.Xml.Descendants().Where(e => e.Name.LocalName == "Path").Select(e => e.Value).ToList();
        Assert.Equal(["/a?b=1", "/assets/*"], paths);

        // CloudFront finishes on its own time; the status asks it again no more than every few seconds.
        _clock.Advance(TimeSpan.FromSeconds(6));
        var completed = await WaitForTargetAsync(id!, state => state == "completed");
        Assert.Equal("completed", completed.GetProperty("state").GetString());

        using var status = await _client.GetAsync($"/v1/purge/{id}");
        var unsupported = (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cloudFront").GetProperty("unsupported");
        Assert.Equal("product-1", Assert.Single(unsupported.EnumerateArray()).GetProperty("item").GetString());
    }

    [Fact]
    public async Task CloudFrontRefusingForGood_ShowsAsAFailedTarget_AtOnce_WhileTheEdgePurgeStands()
    {
        _cloudFront.Refuse = _ => (404, "NoSuchDistribution", "The specified distribution does not exist.");
        var id = await PurgeAsync("""{"site":"shop","all":true}""");

        var target = await WaitForTargetAsync(id, state => state == "failed");
        Assert.Contains("NoSuchDistribution", target.GetProperty("error").GetString());
        Assert.Equal(1, target.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, target.GetProperty("retryAt").ValueKind);
        Assert.Single(_cloudFront.Requests);
        Assert.Equal(0, _clock.PendingTimers);
    }

    [Fact]
    public async Task AThrottledInvalidation_IsRetriedAfterABackoff_AndThenGoesThrough()
    {
        var refusals = 2;
        _cloudFront.Refuse = _ => Interlocked.Decrement(ref refusals) >= 0 ? (400, "Throttling", "Rate exceeded") : null;
        var id = await PurgeAsync("""{"site":"shop","urls":["http://www.shop.test/espresso"]}""");

        var first = await WaitForTargetAsync(id, state => state == "retrying");
        Assert.Contains("Throttling", first.GetProperty("error").GetString());
        Assert.Equal(1, first.GetProperty("attempts").GetInt32());
        var retryAt = first.GetProperty("retryAt").GetDateTimeOffset();
        // The first wait is between half a second and a second.
        Assert.InRange(retryAt - _clock.GetUtcNow(), TimeSpan.FromMilliseconds(499), TimeSpan.FromSeconds(1));
        Assert.Single(_cloudFront.Requests);

        // Nothing happens before the planned time: once the clock has moved, the delay's timer is still
        // waiting (timers fire inside Advance), so no retry can have started...
        await WaitForRetryDelayAsync(first);
        _clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(1, _clock.PendingTimers);
        Assert.Single(_cloudFront.Requests);
        // ...and the next attempt goes out once it is reached.
        _clock.Advance(TimeSpan.FromMilliseconds(600));
        var second = await WaitForTargetAsync(id, state => state == "retrying" && _cloudFront.Requests.Count == 2);
        Assert.Equal(2, second.GetProperty("attempts").GetInt32());

        await WaitForRetryDelayAsync(second);
        _clock.Advance(CloudFrontBackoff.After(2, 1));
        var done = await WaitForTargetAsync(id, state => state == "in-progress");
        Assert.Equal(3, done.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, done.GetProperty("retryAt").ValueKind);
        Assert.Single(done.GetProperty("invalidations").EnumerateArray());
        Assert.Equal(3, _cloudFront.Requests.Count);
        Assert.All(_cloudFront.Requests, r => Assert.Equal(id, r.CallerReference));
        Assert.Equal(1, _cloudFront.InvalidationCount);
    }

    [Fact]
    public async Task APassingRefusalThatNeverPasses_IsReportedFailed_AfterRetryFor()
    {
        _cloudFront.Refuse = _ => (400, "TooManyInvalidationsInProgress", "Your request contains too many invalidations.");
        var id = await PurgeAsync("""{"site":"shop","prefixes":["http://www.shop.test/assets/"]}""");
        var started = _clock.GetUtcNow();

        var target = await WaitForTargetAsync(id, t => t.GetProperty("state").GetString() is "retrying" or "failed");
        while (target.GetProperty("state").GetString() == "retrying")
        {
            var retryAt = target.GetProperty("retryAt").GetDateTimeOffset();
            Assert.True(retryAt - started <= TimeSpan.FromSeconds(900), $"a retry planned after RetryForSeconds (900): {target}");
            var attempts = target.GetProperty("attempts").GetInt32();
            await WaitForRetryDelayAsync(target);
            _clock.Advance(retryAt - _clock.GetUtcNow());
            // The next round's outcome, not the status left over from the one before.
            target = await WaitForTargetAsync(id, t => t.GetProperty("state").GetString() is "retrying" or "failed"
                && t.GetProperty("attempts").GetInt32() > attempts);
        }

        Assert.Contains("TooManyInvalidationsInProgress", target.GetProperty("error").GetString());
        var made = target.GetProperty("attempts").GetInt32();
        // Waits of 1, 2, 4, 8, 16, 32, then 60 s, each drawn between half and all of that, fill 900 s in
        // 19 waits (all long) to 34 (all short): 20 to 35 attempts.
        Assert.InRange(made, 20, 35);
        Assert.Equal(made, _cloudFront.Requests.Count);
        Assert.Equal(0, _clock.PendingTimers);
    }

    /// <summary>
    /// A purge with more wildcards than one request may carry goes out in two requests; when the second is
    /// refused, the retry sends both again with the same caller references, and CloudFront answers the
    /// first with the invalidation it already made instead of making another.
    /// </summary>
    [Fact]
    public async Task ARetry_DoesNotInvalidateAgain_WhatCloudFrontAlreadyAccepted()
    {
        var refused = 0;
        _cloudFront.Refuse = r => r.CallerReference!.EndsWith("-2", StringComparison.Ordinal) && Interlocked.Increment(ref refused) == 1
            ? (400, "TooManyInvalidationsInProgress", "Your request contains too many invalidations.")
            : null;
        var prefixes = string.Join(",", Enumerable.Range(1, 16).Select(i => $"\"http://www.shop.test/section-{i}/\""));
        var id = await PurgeAsync($$"""{"site":"shop","prefixes":[{{prefixes}}]}""");

        var partly = await WaitForTargetAsync(id, state => state == "retrying");
        Assert.Single(partly.GetProperty("invalidations").EnumerateArray());
        await WaitForRetryDelayAsync(partly);
        _clock.Advance(CloudFrontBackoff.After(1, 1));

        var done = await WaitForTargetAsync(id, state => state == "in-progress");
        var invalidations = done.GetProperty("invalidations").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Equal(2, invalidations.Distinct().Count());
        Assert.Equal(partly.GetProperty("invalidations")[0].GetProperty("id").GetString(), invalidations[0]);
        Assert.Equal([id + "-1", id + "-2", id + "-1", id + "-2"], _cloudFront.Requests.Select(r => r.CallerReference));
        Assert.Equal(2, _cloudFront.InvalidationCount);
    }

    private async Task<string> PurgeAsync(string json)
    {
        using var response = await _client.PostAsync("/v1/purge", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The purger plans the retry, then starts its delay: the clock is moved only once it waits.</summary>
    // The retry's own delay, due at the time the target says: waiting for any timer would let the clock move before the
    // delay is made (another timer can be pending first), and the delay would then run past retryAt and never come due.
    private Task WaitForRetryDelayAsync(JsonElement target)
    {
        var retryAt = target.GetProperty("retryAt").GetDateTimeOffset();
        return Eventually.TrueAsync(() => _clock.HasTimerDueAt(retryAt), TimeSpan.FromSeconds(15), $"no delay due at {retryAt:O}");
    }

    private Task<JsonElement> WaitForTargetAsync(string id, Func<string, bool> until) =>
        WaitForTargetAsync(id, (JsonElement t) => until(t.GetProperty("state").GetString()!));

    private Task<JsonElement> WaitForTargetAsync(string id, Func<JsonElement, bool> until) =>
        Eventually.ValueAsync(async () =>
        {
            using var status = await _client.GetAsync($"/v1/purge/{id}");
            var body = await status.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("cloudFront").GetProperty("targets")[0];
        }, until, TimeSpan.FromSeconds(15), target => $"CloudFront target never reached the expected state: {target}");
}
