using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Content;

/// <summary>
/// The content store in the datacenter's Redis: three hashes (<c>{prefix}:products</c> by id,
/// <c>:categories</c> by slug, <c>:accounts</c> by lower-case email) and a <c>:seeded</c> marker. A page needs
/// one round trip; a publish is a compare-and-set on the product's field, so two CMS calls never lose one.
/// A read stops waiting when its token is cancelled (Redis commands cannot be, so the command is left to its own end):
/// a node turns a read away that way when its Redis stalls. A publish is never given up half-way.
/// </summary>
public sealed class RedisShopContent(IConnectionMultiplexer redis, string keyPrefix) : IShopContent
{
    // Each round one of the competing publishes wins, so this many concurrent publishes of one product all land.
    private const int MaxUpdateAttempts = 64;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly RedisKey _seeded = keyPrefix + ":seeded";
    private readonly RedisKey _products = keyPrefix + ":products";
    private readonly RedisKey _categories = keyPrefix + ":categories";
    private readonly RedisKey _accounts = keyPrefix + ":accounts";

    private IDatabase Database => redis.GetDatabase();

    public async Task<bool> SeedIfAbsentAsync(ShopSeed seed, CancellationToken cancellationToken = default)
    {
        // MULTI/EXEC under "the marker is absent": every field lands with the marker, or nothing does.
        var transaction = Database.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(_seeded));
        _ = transaction.HashSetAsync(_products, [.. seed.Products.Select(p => new HashEntry(Field(p.Id), Serialize(p)))]);
        _ = transaction.HashSetAsync(_categories, [.. seed.Categories.Select(c => new HashEntry(c.Slug, Serialize(c)))]);
        _ = transaction.HashSetAsync(_accounts, [.. seed.Accounts.Select(a => new HashEntry(a.Email.ToLowerInvariant(), Serialize(a)))]);
        _ = transaction.StringSetAsync(_seeded, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return await transaction.ExecuteAsync();
    }

    public Task<bool> IsSeededAsync(CancellationToken cancellationToken = default) => Database.KeyExistsAsync(_seeded).WaitAsync(cancellationToken);

    public async Task<Product?> GetProductAsync(int id, CancellationToken cancellationToken = default) =>
        Deserialize<Product>(await Database.HashGetAsync(_products, Field(id)).WaitAsync(cancellationToken));

    public async Task<IReadOnlyList<Product>> ListProductsAsync(CancellationToken cancellationToken = default)
    {
        var values = await Database.HashValuesAsync(_products).WaitAsync(cancellationToken);
        return [.. values.Select(v => Deserialize<Product>(v)!).OrderBy(p => p.Id)];
    }

    public async Task<IReadOnlyList<Category>> ListCategoriesAsync(CancellationToken cancellationToken = default)
    {
        var values = await Database.HashValuesAsync(_categories).WaitAsync(cancellationToken);
        return [.. values.Select(v => Deserialize<Category>(v)!).OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    public async Task<Account?> FindAccountAsync(string email, CancellationToken cancellationToken = default) =>
        Deserialize<Account>(await Database.HashGetAsync(_accounts, email.ToLowerInvariant()).WaitAsync(cancellationToken));

    public async Task<Product?> UpdateProductAsync(int id, ProductChange change, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = await Database.HashGetAsync(_products, Field(id));
            if (current.IsNull)
            {
                return null;
            }

            var updated = change.ApplyTo(Deserialize<Product>(current)!, at);
            var transaction = Database.CreateTransaction();
            transaction.AddCondition(Condition.HashEqual(_products, Field(id), current));
            _ = transaction.HashSetAsync(_products, Field(id), Serialize(updated));
            if (await transaction.ExecuteAsync())
            {
                return updated;
            }
        }

        throw new InvalidOperationException($"product {id} changed under {MaxUpdateAttempts} publishes in a row; try again");
    }

    private static RedisValue Field(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static RedisValue Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    private static T? Deserialize<T>(RedisValue value) where T : class =>
        value.IsNull ? null : JsonSerializer.Deserialize<T>((byte[])value!, Json);
}
