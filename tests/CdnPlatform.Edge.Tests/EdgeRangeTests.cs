using System.Net;

namespace CdnPlatform.Edge.Tests;

/// <summary>Range requests answered from a stored full response, over real sockets.</summary>
public sealed class EdgeRangeTests : IAsyncLifetime
{
    private EdgeFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await EdgeFixture.StartAsync(null, "--Edge:Sites:0:MaxRanges", "4");
        // 100 bytes of 'x' with a strong validator, stored by a first full request.
        (await _f.GetAsync("/blob?size=100&etag=b1")).Dispose();
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private Task<HttpResponseMessage> GetRange(string range, string? ifRange = null) =>
        _f.SendAsync(HttpMethod.Get, "/blob?size=100&etag=b1", configure: r =>
        {
            r.Headers.TryAddWithoutValidation("Range", range);
            if (ifRange is not null)
            {
                r.Headers.TryAddWithoutValidation("If-Range", ifRange);
            }
        });

    [Theory]
    [InlineData("bytes=0-9", 0, 9)]
    [InlineData("bytes=90-", 90, 99)]
    [InlineData("bytes=-5", 95, 99)]
    [InlineData("bytes=50-1000", 50, 99)]
    public async Task SingleRange_Is206FromCache(string range, long first, long last)
    {
        using var response = await GetRange(range);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {first}-{last}/100", response.Header("Content-Range"));
        Assert.Equal(last - first + 1, (await response.Content.ReadAsByteArrayAsync()).Length);
        Assert.StartsWith("CdnPlatform; hit", response.CacheStatus());
        Assert.Equal(1, _f.Origin.Hits("/blob"));
    }

    [Fact]
    public async Task UnsatisfiableRange_Is416WithTheLength()
    {
        using var response = await GetRange("bytes=500-600");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */100", response.Header("Content-Range"));
    }

    [Fact]
    public async Task SeveralRanges_AreAnsweredWithTheWhole200()
    {
        using var response = await GetRange("bytes=0-1, 5-6");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task MoreRangesThanTheSiteAllows_AreIgnored()
    {
        using var response = await GetRange("bytes=0-1, 3-4, 6-7, 9-10, 12-13");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task IfRangeWithTheCurrentETag_Gets206_WithAnotherGetsTheWhole200()
    {
        using (var matching = await GetRange("bytes=0-9", "\"b1\""))
        {
            Assert.Equal(HttpStatusCode.PartialContent, matching.StatusCode);
        }
        using var changed = await GetRange("bytes=0-9", "\"other\"");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(100, (await changed.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task RangeOnAMiss_GoesToTheOrigin_AndA206IsNotStored()
    {
        using var response = await _f.SendAsync(HttpMethod.Get, "/fresh?size=50",
            configure: r => r.Headers.TryAddWithoutValidation("Range", "bytes=0-4"));
        // The test origin ignores Range and sends the whole 200, which is stored.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var ranged = await _f.SendAsync(HttpMethod.Get, "/fresh?size=50",
            configure: r => r.Headers.TryAddWithoutValidation("Range", "bytes=0-4"));
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal(1, _f.Origin.Hits("/fresh"));
    }
}
