using CdnPlatform.Origin.Content;

namespace CdnPlatform.Origin.Tests;

public sealed class ShopSeedTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("shop-seed-").FullName;

    [Fact]
    public void TheRepositorySeed_Loads()
    {
        var seed = TestSeed.Load();

        Assert.Equal(24, seed.Products.Count);
        Assert.Equal(4, seed.Categories.Count);
        Assert.Contains(seed.Accounts, a => a.Email == TestSeed.AnnaEmail);
        Assert.All(seed.Products, p => Assert.Contains(seed.Categories, c => c.Slug == p.Category));
    }

    [Fact]
    public void AProductInAnUnknownCategory_IsRefusedNamingTheFileAndEntry()
    {
        CopySeed();
        var products = File.ReadAllText(Path.Combine(_directory, "products.json")).Replace("\"category\": \"grinders\"", "\"category\": \"shoes\"");
        File.WriteAllText(Path.Combine(_directory, "products.json"), products);

        var error = Assert.Throws<InvalidDataException>(() => ShopSeed.Load(_directory, DateTimeOffset.UnixEpoch));

        Assert.Contains("products.json: products[5].category 'shoes' is not in categories.json", error.Message);
    }

    [Fact]
    public void AMissingFile_IsRefusedNamingIt()
    {
        CopySeed();
        File.Delete(Path.Combine(_directory, "accounts.json"));

        var error = Assert.Throws<InvalidDataException>(() => ShopSeed.Load(_directory, DateTimeOffset.UnixEpoch));

        Assert.Contains("accounts.json", error.Message);
    }

    [Fact]
    public void AnUnknownField_IsRefused()
    {
        CopySeed();
        File.WriteAllText(Path.Combine(_directory, "categories.json"), """{"categories":[{"slug":"a","name":"A","colour":"red"}]}""");

        var error = Assert.Throws<InvalidDataException>(() => ShopSeed.Load(_directory, DateTimeOffset.UnixEpoch));

        Assert.Contains("colour", error.Message);
    }

    [Fact]
    public void APlainTextPassword_IsRefused()
    {
        CopySeed();
        File.WriteAllText(Path.Combine(_directory, "accounts.json"), """{"accounts":[{"email":"a@b.test","name":"A","passwordHash":"secret"}]}""");

        var error = Assert.Throws<InvalidDataException>(() => ShopSeed.Load(_directory, DateTimeOffset.UnixEpoch));

        Assert.Contains("accounts.json: accounts[0]", error.Message);
    }

    private void CopySeed()
    {
        foreach (var file in Directory.GetFiles(TestSeed.Directory, "*.json"))
        {
            File.Copy(file, Path.Combine(_directory, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
