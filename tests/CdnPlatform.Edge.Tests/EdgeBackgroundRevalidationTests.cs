using CdnPlatform.Testing;
using System.Net;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// stale-while-revalidate's background fetch goes out as a visitor's foreground revalidation would, on a
/// copy of the visitor's request: same forwarding fields, the stored validators, the whole response.
/// </summary>
public sealed class EdgeBackgroundRevalidationTests : IAsyncLifetime
{
    private const string Url = "/bg?cc=max-age=10,+stale-while-revalidate=60&etag=v1";
    private EdgeFixture _f = null!;

    public async Task InitializeAsync() => _f = await EdgeFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task BackgroundRevalidation_SendsWhatAForegroundRevalidationSends()
    {
        (await _f.GetAsync(Url)).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(15));
        // A foreground revalidation, for comparison: the visitor's no-cache makes it wait for the origin.
        (await _f.SendAsync(HttpMethod.Get, Url, configure: r => { r.Headers.TryAddWithoutValidation("Cache-Control", "no-cache"); r.Headers.TryAddWithoutValidation("X-Visitor", "1"); })).Dispose();
        var foreground = _f.Origin.LastRequest("/bg");
        _f.Clock.Advance(TimeSpan.FromSeconds(15));

        using (var stale = await _f.SendAsync(HttpMethod.Get, Url, configure: r => r.Headers.TryAddWithoutValidation("X-Visitor", "1")))
        {
            Assert.Contains("stale-while-revalidate", stale.CacheStatus());
        }
        await WaitForOriginHitsAsync(3);

        var background = _f.Origin.LastRequest("/bg");
        foreach (var field in new[] { "host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "surrogate-capability", "if-none-match", "x-visitor" })
        {
            Assert.True(foreground.ContainsKey(field), $"the foreground revalidation lacks {field}");
            Assert.True(background.TryGetValue(field, out var value), $"the background revalidation lacks {field}");
            Assert.Equal(foreground[field], value);
        }
        Assert.Equal("\"v1\"", background["if-none-match"]);
    }

    [Fact]
    public async Task BackgroundRevalidation_TriggeredByARangeRequest_RefreshesTheWholeEntry()
    {
        const string url = "/bgrange?cc=max-age=10,+stale-while-revalidate=60&size=1000";
        (await _f.GetAsync(url)).Dispose();
        _f.Clock.Advance(TimeSpan.FromSeconds(15));

        using (var partial = await _f.SendAsync(HttpMethod.Get, url, configure: r => r.Headers.TryAddWithoutValidation("Range", "bytes=0-9")))
        {
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Contains("stale-while-revalidate", partial.CacheStatus());
        }
        await WaitForOriginHitsAsync(2, "/bgrange");

        Assert.False(_f.Origin.LastRequest("/bgrange").ContainsKey("range"), "the background fetch asked for the visitor's range");
        // The refreshed entry is the whole response, fresh again: served as a hit with all its bytes.
        await Eventually.TrueAsync(async () =>
        {
            using var response = await _f.GetAsync(url);
            var body = await response.Content.ReadAsByteArrayAsync();
            return response.CacheStatus().StartsWith("CdnPlatform; hit", StringComparison.Ordinal) && response.Headers.Age is { } age && age < TimeSpan.FromSeconds(10) && body.Length == 1000;
        }, TimeSpan.FromSeconds(10), "the range-triggered revalidation to store the whole response");
        Assert.Equal(2, _f.Origin.Hits("/bgrange"));
    }

    private Task WaitForOriginHitsAsync(int hits, string path = "/bg") =>
        Eventually.TrueAsync(() => _f.Origin.Hits(path) >= hits, TimeSpan.FromSeconds(10), $"{hits} origin requests for {path}");
}
