using System.Net;
using CdnPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Tests;

/// <summary>
/// A DR node on a real replica (<c>REPLICAOF</c> the primary's redis-server): it serves what the primary
/// published and the primary's sessions, refuses writes with 503 while a replica, and takes them once its
/// Redis is promoted, with no restart.
/// </summary>
public sealed class ReplicaDatacenterTests : IAsyncLifetime
{
    private readonly RedisServer _primaryRedis = new();
    private readonly RedisServer _drRedis = new();
    private ShopNode _primary = null!;
    private ShopNode _dr = null!;

    public async Task InitializeAsync()
    {
        await _primaryRedis.InitializeAsync();
        await _drRedis.InitializeAsync();
        using (var dr = await ConnectionMultiplexer.ConnectAsync(_drRedis.Endpoint + ",allowAdmin=true"))
        {
            await dr.GetServers().Single().ReplicaOfAsync(System.Net.IPEndPoint.Parse(_primaryRedis.Endpoint));
        }
        _primary = await ShopNode.StartAsync("primary-1", settings: ["--Origin:Redis", _primaryRedis.Endpoint]);
        _dr = await ShopNode.StartAsync("dr-1", settings: ["--Origin:Redis", _drRedis.Endpoint]);
        await Eventually.ValueAsync(() => HealthAsync(_dr), health => health.Ready, Eventually.Patience,
            health => $"DR node ready from replicated content; last /healthz {health.Answer}\nDR node's log:\n{string.Join("\n", _dr.Log.Entries)}");
    }

    private static async Task<(bool Ready, string Answer)> HealthAsync(ShopNode node)
    {
        using var response = await node.Client.GetAsync("/healthz");
        return (response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task DisposeAsync()
    {
        await _dr.DisposeAsync();
        await _primary.DisposeAsync();
        await _drRedis.DisposeAsync();
        await _primaryRedis.DisposeAsync();
    }

    [Fact]
    public async Task DrNode_DropsTheRenderCacheSweepsWarnings_ItsReplicaRefusesEverySweep_ButKeepsItsErrors()
    {
        // The sweep's own SET, as the package sends it every ~5 minutes: refused for the replica, every time.
        using (var redis = await ConnectionMultiplexer.ConnectAsync(_drRedis.Endpoint))
        {
            var refused = await Assert.ThrowsAsync<RedisConnectionException>(() =>
                redis.GetDatabase().StringSetAsync("shop:render:__MSOCTGC", "x", TimeSpan.FromMinutes(5), When.NotExists));
            Assert.Contains("not eligible for replica", refused.Message);
        }

        // The category is the package's internal type's name, so a rename in the package would silently undo the filter.
        Assert.NotNull(typeof(Microsoft.AspNetCore.OutputCaching.StackExchangeRedis.RedisOutputCacheOptions).Assembly
            .GetType(Storage.ShopStorage.RenderCacheStoreLogCategory));
        var store = _dr.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Storage.ShopStorage.RenderCacheStoreLogCategory);
        var caching = _dr.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.OutputCaching.OutputCacheMiddleware");
        store.LogWarning("sweep failed");
        store.LogError("sweep loop dead");
        caching.LogWarning("another category's warning");

        var logged = _dr.Log.Entries.Select(e => e.ToString()).ToList();
        Assert.DoesNotContain(logged, line => line.Contains("sweep failed"));
        Assert.Contains(logged, line => line.Contains("sweep loop dead"));
        Assert.Contains(logged, line => line.Contains("another category's warning"));
    }

    [Fact]
    public async Task DrNode_ServesReplicatedContentAndThePrimarysSessions_ButRefusesWrites()
    {
        var visitor = new Visitor();
        await visitor.LogInAsync(_primary.Client, TestSeed.AnnaEmail, TestSeed.AnnaPassword);
        await visitor.AddToCartAsync(_primary.Client, TestSeed.EspressoMachine, 1);

        using var page = await _dr.Client.GetAsync("/products/101");
        Assert.True(page.StatusCode == HttpStatusCode.OK, _dr.Errors);
        Assert.Contains("in datacenter primary", await page.Content.ReadAsStringAsync());
        using (var first = await visitor.GetAsync(_dr.Client, "/cart"))
        {
            Assert.True(first.StatusCode == HttpStatusCode.OK, _dr.Errors);
        }
        var cart = await Eventually.ValueAsync(() => visitor.CartAsync(_dr.Client), c => c.GetProperty("count").GetInt32() == 1,
            Eventually.Patience, c => $"cart replicated to DR, last read {c}");
        Assert.Equal(TestSeed.AnnaEmail, cart.GetProperty("account").GetString());

        using var write = await visitor.PostFormAsync(_dr.Client, "/cart", ("productId", "110"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        Assert.StartsWith("read-only datacenter", await VisitorJourneyTests.ErrorAsync(write));
        Assert.Equal(1, (await visitor.CartAsync(_primary.Client)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Promotion_OpensTheDrNodeForWrites_WithoutARestart()
    {
        var visitor = new Visitor();
        using var refused = await visitor.PostFormAsync(_dr.Client, "/cart", ("productId", "110"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        using (var dr = await ConnectionMultiplexer.ConnectAsync(_drRedis.Endpoint + ",allowAdmin=true"))
        {
            await dr.GetServers().Single().ExecuteAsync("REPLICAOF", "NO", "ONE");
        }

        await Eventually.TrueAsync(async () =>
        {
            using var response = await visitor.PostFormAsync(_dr.Client, "/cart", ("productId", "110"));
            return response.StatusCode == HttpStatusCode.OK;
        }, Eventually.Patience, "DR node takes writes after promotion");
        Assert.Equal(1, (await visitor.CartAsync(_dr.Client)).GetProperty("count").GetInt32());
    }
}
