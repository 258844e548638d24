using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CdnPlatform.Origin.Publishing;
using CdnPlatform.Origin.Storage;
using CdnPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Origin.Tests;

public sealed class CmsPublishTests : IAsyncLifetime
{
    private const string CmsKey = "cms-key-for-the-tests-0001";
    private readonly int _controlPort = FreePort.OnLoopback();
    private readonly InMemoryDatacenter _datacenter = new(new SharedKeyRing());
    private StubControlPlane? _control;
    private ShopNode _node = null!;
    private ShopNode _other = null!;

    public async Task InitializeAsync()
    {
        string[] settings =
        [
            "--Origin:CmsApiKey", CmsKey, "--Origin:Purge:ControlUrl", $"http://127.0.0.1:{_controlPort}",
            "--Origin:Purge:ApiKey", "control-key", "--Origin:Purge:Site", "shop",
        ];
        _node = await ShopNode.StartAsync("n1", _datacenter, settings);
        _other = await ShopNode.StartAsync("n2", _datacenter, settings);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _other.DisposeAsync();
        if (_control is not null)
        {
            await _control.DisposeAsync();
        }
    }

    [Fact]
    public async Task Publish_StoresEvictsTheRenderCacheAndPurgesTheProductsTag()
    {
        _control = await StubControlPlane.StartAsync(_controlPort);
        var before = await SitePageAsync(_other, "/products/101");
        Assert.Contains("€349.00", before);
        Assert.Equal(ShopPagesTests.Footer(before), ShopPagesTests.Footer(await SitePageAsync(_other, "/products/101")));

        using var response = await PublishAsync("101", """{"price": 299.90}""");
        var answer = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(299.90m, answer.GetProperty("product").GetProperty("price").GetDecimal());
        Assert.Equal(2, answer.GetProperty("product").GetProperty("version").GetInt32());
        Assert.Equal("purged", answer.GetProperty("purge").GetProperty("state").GetString());
        Assert.True(answer.GetProperty("purge").GetProperty("ms").GetDouble() > 0);
        var (authorization, body) = Assert.Single(_control.Purges);
        Assert.Equal("Bearer control-key", authorization);
        Assert.Equal("shop", body.GetProperty("site").GetString());
        Assert.Equal(["product-101"], body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        // The other node renders afresh: the publish evicted the datacenter's render cache by the same tag.
        Assert.Contains("€299.90", await SitePageAsync(_other, "/products/101"));
        Assert.Contains("€299.90", await SitePageAsync(_other, "/"));
    }

    [Fact]
    public async Task Publish_WhileTheControlPlaneIsAway_IsKept_AndItsPurgeSentWhenItReturns()
    {
        using var response = await PublishAsync("102", """{"price": 150, "stock": 4}""");
        var answer = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("queued", answer.GetProperty("purge").GetProperty("state").GetString());
        Assert.Contains("unreachable", answer.GetProperty("purge").GetProperty("reason").GetString());
        Assert.Contains("€150.00", await SitePageAsync(_node, "/products/102"));
        var outbox = _node.App.Services.GetRequiredService<IPurgeOutbox>();
        Assert.Single(await outbox.PendingAsync(10));

        _control = await StubControlPlane.StartAsync(_controlPort);

        await Eventually.TrueAsync(async () => (await outbox.PendingAsync(10)).Count == 0, Eventually.Patience, "outbox drained");
        var (_, body) = Assert.Single(_control.Purges);
        Assert.Equal(["product-102"], body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-the-key")]
    [InlineData("Basic " + CmsKey)]
    public async Task Publish_WithoutTheCmsKey_Is401AndChangesNothing(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cms/products/101")
        {
            Content = new StringContent("""{"price": 1}""", Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _node.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        await AssertPriceUnchangedAsync();
    }

    [Theory]
    [InlineData("""{"price": "cheap"}""", "price")]
    [InlineData("""{"price": -1}""", "price")]
    [InlineData("""{"price": 1.005}""", "price")]
    [InlineData("""{"stock": 2.5}""", "stock")]
    [InlineData("""{"name": ""}""", "name")]
    [InlineData("""{"price": 10, "colour": "red"}""", "colour")]
    public async Task Publish_WithABadField_Is400NamingItAndChangesNothing(string body, string field)
    {
        using var response = await PublishAsync("101", body);
        var answer = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, answer.GetProperty("field").GetString());
        Assert.StartsWith(field, answer.GetProperty("error").GetString());
        await AssertPriceUnchangedAsync();
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1, 2]")]
    [InlineData("{\"price\": ")]
    public async Task Publish_WithNothingOrNotJson_Is400(string body)
    {
        using var response = await PublishAsync("101", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertPriceUnchangedAsync();
    }

    [Theory]
    [InlineData("99999")]
    [InlineData("espresso")]
    public async Task Publish_OfAnUnknownProduct_Is404(string id)
    {
        using var response = await PublishAsync(id, """{"price": 10}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("id", (await JsonAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task AdminPage_OffersEveryProductsPrice()
    {
        var html = await _node.Client.GetStringAsync("/cms/admin");

        Assert.Contains("<option value=\"101\" data-price=\"349.00\">", html);
        Assert.Contains("fetch(\"/cms/products/\"", html);
    }

    private async Task AssertPriceUnchangedAsync()
    {
        var product = await _datacenter.Content.GetProductAsync(101);
        Assert.Equal(349.00m, product!.Price);
        Assert.Equal(1, product.Version);
    }

    private Task<HttpResponseMessage> PublishAsync(string id, string json) => Publish(_node, id, json, CmsKey);

    internal static Task<HttpResponseMessage> Publish(ShopNode node, string id, string json, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/cms/products/{id}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return node.Client.SendAsync(request);
    }

    private static async Task<string> SitePageAsync(ShopNode node, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "www.shop.test";
        using var response = await node.Client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
