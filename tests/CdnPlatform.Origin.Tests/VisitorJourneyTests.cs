using System.Net;
using System.Text.Json;
using CdnPlatform.Origin.Storage;

namespace CdnPlatform.Origin.Tests;

/// <summary>The journey of the load tool on two nodes of one in-process datacenter, and what it refuses.</summary>
public sealed class VisitorJourneyTests : IAsyncLifetime
{
    private readonly InMemoryDatacenter _datacenter = new(new SharedKeyRing());
    private ShopNode _first = null!;
    private ShopNode _second = null!;

    public async Task InitializeAsync()
    {
        _first = await ShopNode.StartAsync("n1", _datacenter);
        _second = await ShopNode.StartAsync("n2", _datacenter);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task LoginAndCart_MadeOnOneNode_AreSeenOnTheOther()
    {
        var visitor = new Visitor();
        await visitor.LogInAsync(_first.Client, TestSeed.AnnaEmail, TestSeed.AnnaPassword);
        await visitor.AddToCartAsync(_first.Client, TestSeed.EspressoMachine, 2);
        await visitor.AddToCartAsync(_second.Client, 110, 1);

        var cart = await visitor.CartAsync(_second.Client);

        Assert.Equal(TestSeed.AnnaEmail, cart.GetProperty("account").GetString());
        Assert.Equal(3, cart.GetProperty("count").GetInt32());
        Assert.Equal(349m * 2 + 24.90m, cart.GetProperty("total").GetDecimal());
        Assert.Equal("n2", cart.GetProperty("node").GetString());
        Assert.Equal([TestSeed.EspressoMachine, 110], cart.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("productId").GetInt32()));
    }

    [Fact]
    public async Task Logout_EndsTheSessionEverywhere()
    {
        var visitor = new Visitor();
        await visitor.LogInAsync(_first.Client, TestSeed.AnnaEmail, TestSeed.AnnaPassword);
        await visitor.AddToCartAsync(_first.Client, TestSeed.EspressoMachine, 1);

        using var logout = await visitor.PostFormAsync(_second.Client, "/account/logout");
        using var account = await visitor.GetAsync(_first.Client, "/account");

        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, account.StatusCode);
        Assert.Equal(0, (await visitor.CartAsync(_first.Client)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Account_WithoutLogin_SendsABrowserToTheLoginForm()
    {
        using var response = await _first.Client.GetAsync("/account");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task FormPosts_FromABrowser_RedirectWithSeeOther()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cart")
        {
            Content = new FormUrlEncodedContent([new("productId", "101")]),
        };

        using var response = await _first.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/cart", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("nobody@shop.test", TestSeed.AnnaPassword)]
    [InlineData(TestSeed.AnnaEmail, "wrong")]
    public async Task Login_WithWrongCredentials_Is401AndStartsNoSession(string email, string password)
    {
        var visitor = new Visitor();

        using var response = await visitor.PostFormAsync(_first.Client, "/account/login", ("email", email), ("password", password));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("wrong email or password", await ErrorAsync(response));
        Assert.Null(visitor.SessionCookie);
    }

    [Theory]
    [InlineData("/account/login", "email", "password=x")]
    [InlineData("/account/login", "password", "email=anna%40shop.test")]
    [InlineData("/cart", "productId", "quantity=1")]
    [InlineData("/cart", "productId", "productId=-4")]
    [InlineData("/cart", "quantity", "productId=101&quantity=lots")]
    [InlineData("/cart", "quantity", "productId=101&quantity=100")]
    public async Task BadForms_Are400NamingTheField(string path, string field, string form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await _first.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.StartsWith(field, body.GetProperty("error").GetString());
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task ABodyThatIsNotAForm_Is400()
    {
        using var response = await _first.Client.PostAsync("/cart", new StringContent("""{"productId":101}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task UnknownOrOutOfStockProducts_AreRefusedAndLeaveTheCartAsItWas()
    {
        var visitor = new Visitor();
        await visitor.AddToCartAsync(_first.Client, TestSeed.EspressoMachine, 1);

        using var unknown = await visitor.PostFormAsync(_first.Client, "/cart", ("productId", "99999"));
        using var outOfStock = await visitor.PostFormAsync(_first.Client, "/cart", ("productId", TestSeed.OutOfStock.ToString()));
        using var overStock = await visitor.PostFormAsync(_first.Client, "/cart", ("productId", "101"), ("quantity", "12"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, outOfStock.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, overStock.StatusCode);
        var cart = await visitor.CartAsync(_second.Client);
        Assert.Equal(1, cart.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task QuantityZero_RemovesTheLine()
    {
        var visitor = new Visitor();
        await visitor.AddToCartAsync(_first.Client, TestSeed.EspressoMachine, 3);

        await visitor.AddToCartAsync(_first.Client, TestSeed.EspressoMachine, 0);

        Assert.Equal(0, (await visitor.CartAsync(_first.Client)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task CartHtml_ListsTheItems()
    {
        var visitor = new Visitor();
        await visitor.AddToCartAsync(_first.Client, TestSeed.EspressoMachine, 2);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cart");
        request.Headers.Add("Cookie", visitor.SessionCookie);

        using var response = await _second.Client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<tr data-product-id=\"101\">", html);
        Assert.Contains("<td class=\"quantity\">2</td>", html);
        Assert.Contains("Total: €698.00", html);
    }

    internal static async Task<string?> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
}
