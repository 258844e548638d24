using System.Net;
using System.Text.Json;
using CdnPlatform.Origin.Shop;
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
    public async Task A_login_over_a_planted_session_moves_the_account_and_cart_to_a_new_id_and_leaves_the_planted_one_empty()
    {
        // Session fixation: the attacker starts a session (a cart is enough) and gets its cookie into the victim's browser.
        var attacker = new Visitor();
        await attacker.AddToCartAsync(_first.Client, 110, 1);
        var planted = attacker.SessionCookie!;
        var victim = new Visitor();
        victim.Plant(planted);

        await victim.LogInAsync(_first.Client, TestSeed.AnnaEmail, TestSeed.AnnaPassword);
        var cart = await victim.CartAsync(_second.Client);

        Assert.Equal(TestSeed.AnnaEmail, cart.GetProperty("account").GetString());
        Assert.Equal(1, cart.GetProperty("count").GetInt32());
        Assert.NotNull(victim.SessionCookie);
        Assert.NotEqual(planted, victim.SessionCookie);
        Assert.Null(victim.Cookie(LoginHandoff.CookieName));
        var attackersView = await attacker.CartAsync(_first.Client);
        Assert.Equal(JsonValueKind.Null, attackersView.GetProperty("account").ValueKind);
        Assert.Equal(0, attackersView.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_login_handoff_is_taken_once_and_never_beside_the_session_it_replaced()
    {
        var visitor = new Visitor();
        await visitor.AddToCartAsync(_first.Client, 110, 1);
        var before = visitor.SessionCookie!;
        await visitor.LogInAsync(_first.Client, TestSeed.AnnaEmail, TestSeed.AnnaPassword);
        var handoff = visitor.Cookie(LoginHandoff.CookieName)!;

        // A client that kept the old session cookie (or an attacker replaying it with the handoff): not logged in.
        var stubborn = new Visitor();
        stubborn.Plant(before);
        stubborn.Plant(handoff);
        Assert.Equal(JsonValueKind.Null, (await stubborn.CartAsync(_second.Client)).GetProperty("account").ValueKind);

        // The record was read (and dropped) by that request: the handoff is spent for everyone.
        var replay = new Visitor();
        replay.Plant(handoff);
        Assert.Equal(JsonValueKind.Null, (await replay.CartAsync(_first.Client)).GetProperty("account").ValueKind);
    }

    [Fact]
    public async Task A_login_without_a_session_keeps_the_one_it_starts()
    {
        var visitor = new Visitor();
        await visitor.LogInAsync(_first.Client, TestSeed.AnnaEmail, TestSeed.AnnaPassword);
        var started = visitor.SessionCookie;

        Assert.NotNull(started);
        Assert.Null(visitor.Cookie(LoginHandoff.CookieName));
        Assert.Equal(TestSeed.AnnaEmail, (await visitor.CartAsync(_second.Client)).GetProperty("account").GetString());
        Assert.Equal(started, visitor.SessionCookie);
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
