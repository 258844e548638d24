using System.Net;
using CdnPlatform.Testing;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Tests;

/// <summary>Three nodes of one datacenter on a real redis-server: what one node writes, the others serve.</summary>
public sealed class RedisDatacenterTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly string _prefix = "shop-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<ShopNode> _nodes = [];

    public async Task InitializeAsync()
    {
        // Started together, as after a datacenter-wide restart: they must seed once between them.
        _nodes.AddRange(await Task.WhenAll(Enumerable.Range(1, 3).Select(i =>
            ShopNode.StartAsync($"n{i}", settings: ["--Origin:Redis", redis.Endpoint, "--Origin:KeyPrefix", _prefix]))));
        foreach (var node in _nodes)
        {
            await Eventually.TrueAsync(async () => (await node.Client.GetAsync("/healthz")).IsSuccessStatusCode, Eventually.Patience, "node ready");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task LoggedInVisitor_KeepsLoginAndCart_OnEveryNode_AndWhenTheirNodeStops()
    {
        var visitor = new Visitor();
        await visitor.LogInAsync(_nodes[0].Client, TestSeed.AnnaEmail, TestSeed.AnnaPassword);
        await visitor.AddToCartAsync(_nodes[0].Client, TestSeed.EspressoMachine, 2);

        foreach (var node in _nodes.Skip(1))
        {
            var cart = await visitor.CartAsync(node.Client);
            Assert.Equal(TestSeed.AnnaEmail, cart.GetProperty("account").GetString());
            Assert.Equal(2, cart.GetProperty("count").GetInt32());
        }

        await _nodes[0].StopAsync();

        await visitor.AddToCartAsync(_nodes[1].Client, 110, 1);
        var after = await visitor.CartAsync(_nodes[2].Client);
        Assert.Equal(TestSeed.AnnaEmail, after.GetProperty("account").GetString());
        Assert.Equal(3, after.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_login_over_an_existing_session_gets_a_new_id_through_Redis_on_another_node()
    {
        var visitor = new Visitor();
        await visitor.AddToCartAsync(_nodes[0].Client, 110, 2);
        var before = visitor.SessionCookie;

        await visitor.LogInAsync(_nodes[0].Client, TestSeed.AnnaEmail, TestSeed.AnnaPassword);
        // The handoff record is in the datacenter's Redis: the next node to see the visitor takes it.
        var cart = await visitor.CartAsync(_nodes[1].Client);

        Assert.Equal(TestSeed.AnnaEmail, cart.GetProperty("account").GetString());
        Assert.Equal(2, cart.GetProperty("count").GetInt32());
        Assert.NotNull(visitor.SessionCookie);
        Assert.NotEqual(before, visitor.SessionCookie);
    }

    [Fact]
    public async Task Content_IsSeededOnceIntoRedis()
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var database = connection.GetDatabase();

        Assert.Equal(24, await database.HashLengthAsync(_prefix + ":products"));
        Assert.True(await database.KeyExistsAsync(_prefix + ":seeded"));
        Assert.True(await database.KeyExistsAsync(_prefix + ":dataprotection-keys"));
    }

    [Fact]
    public async Task RenderCache_IsSharedByTheNodes()
    {
        // The render cache is keyed by Host, as the edges ask for the site's (each node here has its own port).
        var rendered = await (await SiteGetAsync(_nodes[0], "/products/103")).Content.ReadAsStringAsync();
        // The render is stored after it was sent; once node 1 serves it from Redis (it has no cache of its own), it is there for all.
        await Eventually.TrueAsync(async () => (await SiteGetAsync(_nodes[0], "/products/103")).Headers.Age is not null,
            Eventually.Patience, "render stored in Redis");

        var fromSecond = await (await SiteGetAsync(_nodes[1], "/products/103")).Content.ReadAsStringAsync();
        using var fromThird = await SiteGetAsync(_nodes[2], "/products/103");

        Assert.Contains("Rendered by node n1", ShopPagesTests.Footer(rendered));
        Assert.Equal(ShopPagesTests.Footer(rendered), ShopPagesTests.Footer(fromSecond));
        Assert.Equal(ShopPagesTests.Footer(rendered), ShopPagesTests.Footer(await fromThird.Content.ReadAsStringAsync()));
        // The page came from the render cache, but the node that answered says who it is.
        Assert.Equal("n3", fromThird.Headers.GetValues("X-Served-By").Single());
    }

    private static Task<HttpResponseMessage> SiteGetAsync(ShopNode node, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "www.shop.test";
        return node.Client.SendAsync(request);
    }

    [Fact]
    public async Task ANodeWhoseRedisIsGone_IsNotReady()
    {
        await using var lonely = await ShopNode.StartAsync("n9", settings:
            ["--Origin:Redis", $"127.0.0.1:{FreePort.OnLoopback()},connectTimeout=200", "--Origin:KeyPrefix", _prefix]);

        using var health = await lonely.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("storage unreachable", await health.Content.ReadAsStringAsync());
        // Pages and writes say so too (503, so edges serve stale-if-error), rather than failing with a bare 500.
        using var page = await lonely.Client.GetAsync("/products/101");
        Assert.True(page.StatusCode == HttpStatusCode.ServiceUnavailable, lonely.Errors);
        Assert.NotNull(page.Headers.RetryAfter);
        var visitor = new Visitor();
        using var write = await visitor.PostFormAsync(lonely.Client, "/account/login", ("email", TestSeed.AnnaEmail), ("password", TestSeed.AnnaPassword));
        Assert.True(write.StatusCode == HttpStatusCode.ServiceUnavailable, lonely.Errors);
    }
}
