using CdnPlatform.Origin.Content;

namespace CdnPlatform.Origin.Tests;

/// <summary>What every content store must do; run against memory and against a real redis-server.</summary>
public abstract class ShopContentContract
{
    private static readonly DateTimeOffset PublishedAt = DateTimeOffset.Parse("2026-12-02T09:30:00Z");

    /// <summary>A fresh, empty store; stores made by one call to <see cref="NewDatacenter"/> share their data.</summary>
    protected abstract Func<IShopContent> NewDatacenter();

    [Fact]
    public async Task Empty_IsNotSeededAndHasNoProducts()
    {
        var content = NewDatacenter()();

        Assert.False(await content.IsSeededAsync());
        Assert.Null(await content.GetProductAsync(TestSeed.EspressoMachine));
        Assert.Empty(await content.ListProductsAsync());
    }

    [Fact]
    public async Task Seed_WritesEverythingOnce()
    {
        var content = NewDatacenter()();
        var seed = TestSeed.Load();

        Assert.True(await content.SeedIfAbsentAsync(seed));

        Assert.True(await content.IsSeededAsync());
        Assert.Equal(seed.Products.Select(p => p.Id), (await content.ListProductsAsync()).Select(p => p.Id));
        Assert.Equal(seed.Categories.Count, (await content.ListCategoriesAsync()).Count);
        var product = await content.GetProductAsync(TestSeed.EspressoMachine);
        Assert.Equal(349.00m, product!.Price);
        Assert.Equal(1, product.Version);
        Assert.Equal("Anna Berg", (await content.FindAccountAsync("ANNA@shop.test"))!.Name);
    }

    [Fact]
    public async Task ManyNodesSeedingAtOnce_SeedOnce()
    {
        var datacenter = NewDatacenter();
        var seed = TestSeed.Load();
        var nodes = Enumerable.Range(0, 6).Select(_ => datacenter()).ToList();

        var results = await Task.WhenAll(nodes.Select(node => node.SeedIfAbsentAsync(seed)));

        Assert.Single(results, seeded => seeded);
        Assert.Equal(seed.Products.Count, (await nodes[0].ListProductsAsync()).Count);
    }

    [Fact]
    public async Task Reseeding_NeverOverwritesAPublish()
    {
        var content = NewDatacenter()();
        var seed = TestSeed.Load();
        await content.SeedIfAbsentAsync(seed);
        await content.UpdateProductAsync(TestSeed.EspressoMachine, new ProductChange { Price = 299m }, PublishedAt);

        Assert.False(await content.SeedIfAbsentAsync(seed));

        Assert.Equal(299m, (await content.GetProductAsync(TestSeed.EspressoMachine))!.Price);
    }

    [Fact]
    public async Task Update_ChangesOnlyTheNamedFieldsAndBumpsTheVersion()
    {
        var content = NewDatacenter()();
        await content.SeedIfAbsentAsync(TestSeed.Load());

        var updated = await content.UpdateProductAsync(TestSeed.EspressoMachine, new ProductChange { Price = 319.5m }, PublishedAt);

        Assert.Equal(319.5m, updated!.Price);
        Assert.Equal(2, updated.Version);
        Assert.Equal(PublishedAt, updated.UpdatedAt);
        Assert.Equal(updated, await content.GetProductAsync(TestSeed.EspressoMachine));
        Assert.Equal(12, updated.Stock);
    }

    [Fact]
    public async Task Update_OfAnUnknownProductIsNullAndWritesNothing()
    {
        var content = NewDatacenter()();
        await content.SeedIfAbsentAsync(TestSeed.Load());
        var before = await content.ListProductsAsync();

        Assert.Null(await content.UpdateProductAsync(99_999, new ProductChange { Price = 1m }, PublishedAt));

        Assert.Equal(before, await content.ListProductsAsync());
    }

    [Fact]
    public async Task ConcurrentUpdates_FromSeveralNodes_LoseNone()
    {
        var datacenter = NewDatacenter();
        var nodes = Enumerable.Range(0, 4).Select(_ => datacenter()).ToList();
        await nodes[0].SeedIfAbsentAsync(TestSeed.Load());

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            nodes[i % nodes.Count].UpdateProductAsync(TestSeed.EspressoMachine, new ProductChange { Stock = i }, PublishedAt)));

        Assert.Equal(21, (await nodes[0].GetProductAsync(TestSeed.EspressoMachine))!.Version);
    }
}
