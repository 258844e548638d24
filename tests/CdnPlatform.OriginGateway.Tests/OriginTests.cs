using System.Net;
using System.Net.Http.Headers;

namespace CdnPlatform.OriginGateway.Tests;

public sealed class OriginTests : IAsyncLifetime
{
    private RunningHost _origin = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _origin = await TestHosts.StartOriginAsync("n1", "--Origin:PageSharedMaxAgeSeconds", "120");
        _client = TestHosts.ClientFor(_origin.Address);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _origin.DisposeAsync();
    }

    [Theory]
    [InlineData("/", "page home")]
    [InlineData("/products/espresso-machine", "page product-espresso-machine")]
    public async Task Pages_CarrySharedMaxAgeSurrogateKeyAndValidators(string path, string surrogateKey)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cacheControl = response.Headers.CacheControl!;
        Assert.True(cacheControl.Public);
        Assert.Equal(TimeSpan.FromSeconds(60), cacheControl.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(120), cacheControl.SharedMaxAge);
        Assert.Equal(surrogateKey, response.Headers.GetValues("Surrogate-Key").Single());
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("n1", response.Headers.GetValues("X-Served-By").Single());
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Rendered by node n1 in datacenter primary at ", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownProduct_Is404CachedBriefly()
    {
        using var response = await _client.GetAsync("/products/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.CacheControl.SharedMaxAge);
        Assert.Equal("page product-no-such-thing", response.Headers.GetValues("Surrogate-Key").Single());
    }

    [Theory]
    [InlineData("/assets/site.css", "text/css")]
    [InlineData("/assets/app.js", "text/javascript")]
    [InlineData("/assets/logo.svg", "image/svg+xml")]
    public async Task Assets_AreImmutableWithTheirContentType(string path, string mediaType)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            "public, max-age=86400, s-maxage=86400, immutable",
            string.Join(", ", response.Headers.GetValues("Cache-Control")));
        Assert.False(response.Headers.ETag!.IsWeak);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/products/milk-jug")]
    [InlineData("/assets/site.css")]
    [InlineData("/assets/logo.svg")]
    public async Task Head_SendsNoBodyButTheSameContentLength(string path)
    {
        using var get = await _client.GetAsync(path);
        var getBody = await get.Content.ReadAsByteArrayAsync();

        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(getBody.Length, head.Content.Headers.ContentLength);
        Assert.Equal(get.Headers.CacheControl, head.Headers.CacheControl);
    }

    [Fact]
    public async Task Asset_AnswersIfNoneMatchWith304()
    {
        using var first = await _client.GetAsync("/assets/app.js");
        using var revalidation = new HttpRequestMessage(HttpMethod.Get, "/assets/app.js");
        revalidation.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await _client.SendAsync(revalidation);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(first.Headers.ETag, response.Headers.ETag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task Cart_IsNeverStored(string method)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/cart"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.Private);
        Assert.True(response.Headers.CacheControl.NoStore);
        Assert.Null(response.Headers.ETag);
    }

    [Fact]
    public async Task WhoAmI_IsNeverStored()
    {
        using var response = await _client.GetAsync("/whoami");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Contains("\"node\":\"n1\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownPath_Is404WithCacheControl()
    {
        using var response = await _client.GetAsync("/no/such/page.html");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.CacheControl!.SharedMaxAge);
        Assert.Equal(MediaTypeHeaderValue.Parse("text/html; charset=utf-8"), response.Content.Headers.ContentType);
    }
}
