using System.Net;
using System.Text.RegularExpressions;

namespace CdnPlatform.Origin.Tests;

public sealed partial class ShopPagesTests : IAsyncLifetime
{
    private ShopNode _node = null!;

    private HttpClient Client => _node.Client;

    public async Task InitializeAsync() => _node = await ShopNode.StartAsync("n1", settings: ["--Origin:PageSharedMaxAgeSeconds", "120"]);

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("/", "page-home product-101 product-102")]
    [InlineData("/category/grinders", "page-category category-grinders product-106")]
    [InlineData("/products/101", "page-product product-101 category-machines")]
    [InlineData("/search?q=grinder", "page-search product-106")]
    public async Task PublicPages_CarrySharedLifetimesSurrogateKeysAndValidators(string path, string keysStart)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cacheControl = response.Headers.CacheControl!;
        Assert.True(cacheControl.Public);
        Assert.Equal(TimeSpan.Zero, cacheControl.MaxAge);
        Assert.NotNull(cacheControl.SharedMaxAge);
        Assert.Contains("stale-while-revalidate=60", cacheControl.ToString());
        Assert.Contains("stale-if-error=86400", cacheControl.ToString());
        Assert.Contains("stale-while-revalidate=60", response.Headers.GetValues("Surrogate-Control").Single());
        Assert.StartsWith(keysStart, response.Headers.GetValues("Surrogate-Key").Single());
        Assert.True(response.Headers.ETag!.IsWeak);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("n1", response.Headers.GetValues("X-Served-By").Single());
        Assert.Contains("Rendered by node n1 in datacenter primary at ", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ProductPage_ShowsPriceAndStock()
    {
        var html = await Client.GetStringAsync("/products/101");

        Assert.Contains("<p class=\"price\" data-product-id=\"101\">€349.00</p>", html);
        Assert.Contains("In stock: 12", html);
        Assert.Contains("name=\"productId\" value=\"101\"", html);
    }

    [Fact]
    public async Task PageLifetime_FollowsTheOption_AndSearchIsShorter()
    {
        using var page = await Client.GetAsync("/products/101");
        using var search = await Client.GetAsync("/search?q=grinder");

        Assert.Equal(TimeSpan.FromSeconds(120), page.Headers.CacheControl!.SharedMaxAge);
        Assert.Equal(TimeSpan.FromSeconds(60), search.Headers.CacheControl!.SharedMaxAge);
    }

    [Theory]
    [InlineData("/products/99999")]
    [InlineData("/products/abc")]
    [InlineData("/products/0101")]
    [InlineData("/category/shoes")]
    [InlineData("/no/such/page.html")]
    public async Task UnknownPages_Are404CachedBriefly(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.CacheControl.SharedMaxAge);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("/search?q=Grinder", "/search?q=grinder")]
    [InlineData("/search?q=%20burr%20%20grinder", "/search?q=burr%20grinder")]
    [InlineData("/search?q=grinder&utm_source=mail", "/search?q=grinder")]
    [InlineData("/search?q=", "/search")]
    public async Task Search_RedirectsOtherSpellingsToTheCanonicalUrl(string path, string canonical)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(canonical, response.Headers.Location!.OriginalString);
        Assert.True(response.Headers.CacheControl!.Public);
    }

    [Fact]
    public async Task Search_FindsByEveryWord()
    {
        var html = await Client.GetStringAsync("/search?q=burr%20grinder");

        // Burr grinder, flat burr grinder, and the hand grinder whose summary names its burrs; not the blade grinder.
        Assert.Contains("3 result(s)", html);
        Assert.Contains("/products/106", html);
        Assert.Contains("/products/107", html);
        Assert.Contains("/products/108", html);
        Assert.DoesNotContain("/products/109", html);
    }

    [Fact]
    public async Task Assets_AreFingerprintedAndImmutable()
    {
        var html = await Client.GetStringAsync("/");
        var css = CssLink().Match(html).Groups[1].Value;

        using var response = await Client.GetAsync(css);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", string.Join(", ", response.Headers.GetValues("Cache-Control")));
        Assert.False(response.Headers.ETag!.IsWeak);
        using var unfingerprinted = await Client.GetAsync("/assets/site.css");
        Assert.Equal(HttpStatusCode.NotFound, unfingerprinted.StatusCode);
    }

    [Fact]
    public async Task Sitemap_ListsEveryProductUnderTheRequestedHost()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sitemap.xml");
        request.Headers.Host = "www.shop.test";

        using var response = await Client.SendAsync(request);
        var xml = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(24, Regex.Count(xml, "<loc>http://www.shop.test/products/"));
        Assert.Contains("<loc>http://www.shop.test/category/beans</loc>", xml);
        Assert.True(response.Headers.CacheControl!.Public);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/products/110")]
    [InlineData("/sitemap.xml")]
    public async Task Head_SendsNoBodyButTheSameContentLength(string path)
    {
        using var get = await Client.GetAsync(path);
        var getBody = await get.Content.ReadAsByteArrayAsync();

        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(getBody.Length, head.Content.Headers.ContentLength);
        Assert.Equal(get.Headers.CacheControl, head.Headers.CacheControl);
    }

    [Theory]
    [InlineData("/products/101")]
    [InlineData("/")]
    public async Task Page_AnswersIfNoneMatchWith304(string path)
    {
        using var first = await Client.GetAsync(path);
        using var revalidation = new HttpRequestMessage(HttpMethod.Get, path);
        revalidation.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await Client.SendAsync(revalidation);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task RenderCache_ServesTheSameRenderAgain()
    {
        var first = await Client.GetStringAsync("/products/102");
        var second = await Client.GetStringAsync("/products/102");

        Assert.Equal(Footer(first), Footer(second));
    }

    [Theory]
    [InlineData("/cart")]
    [InlineData("/account/login")]
    [InlineData("/whoami")]
    public async Task PersonalPages_AreNeverStored(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Null(response.Headers.ETag);
        Assert.False(response.Headers.Contains("Surrogate-Key"));
    }

    [Fact]
    public async Task Healthz_IsReadyOnceContentIsLoaded()
    {
        var body = await Client.GetStringAsync("/healthz");

        Assert.Contains("\"status\":\"ok\"", body);
        Assert.Contains("\"writable\":true", body);
    }

    internal static string Footer(string html) => FooterPattern().Match(html).Value;

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(/assets/site\\.[0-9a-f]+\\.css)\">")]
    private static partial Regex CssLink();

    [GeneratedRegex("<footer class=\"rendered\"[^<]*</footer>")]
    private static partial Regex FooterPattern();
}
