using System.Net;

namespace CdnPlatform.Origin.Tests;

/// <summary>A DR node without Redis (<c>Origin:ReadOnly</c>): reads are served, every write is a 503 that changes nothing.</summary>
public sealed class ReadOnlyDatacenterTests : IAsyncLifetime
{
    private ShopNode _node = null!;

    private const string CmsKey = "cms-key-for-the-tests-0001";

    public async Task InitializeAsync() =>
        _node = await ShopNode.StartAsync("dr-1", settings: ["--Origin:ReadOnly", "true", "--Origin:CmsApiKey", CmsKey]);

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("/cart", "productId=101")]
    [InlineData("/account/login", "email=anna%40shop.test&password=anna-espresso")]
    [InlineData("/account/logout", "")]
    public async Task Writes_Are503ReadOnlyDatacenter(string path, string form)
    {
        var visitor = new Visitor();

        using var response = await visitor.PostFormAsync(_node.Client, path,
            [.. form.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(f => (f.Split('=')[0], Uri.UnescapeDataString(f.Split('=')[1])))]);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("read-only datacenter", await VisitorJourneyTests.ErrorAsync(response));
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Null(visitor.SessionCookie);
    }

    [Fact]
    public async Task Publish_Is503ReadOnlyDatacenter_AndChangesNothing()
    {
        using var response = await CmsPublishTests.Publish(_node, "101", """{"price": 1}""", CmsKey);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("read-only datacenter", await VisitorJourneyTests.ErrorAsync(response));
        Assert.Contains("€349.00", await _node.Client.GetStringAsync("/products/101"));
    }

    [Fact]
    public async Task Reads_AreServed()
    {
        using var page = await _node.Client.GetAsync("/products/101");
        var health = await _node.Client.GetStringAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("\"writable\":false", health);
    }
}
