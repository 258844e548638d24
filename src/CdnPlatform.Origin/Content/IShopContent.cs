namespace CdnPlatform.Origin.Content;

/// <summary>
/// The shop's content, shared by every node of a datacenter: in memory for <c>cdnctl up</c> without Redis,
/// in the datacenter's Redis otherwise. Both implementations pass one contract test.
/// </summary>
public interface IShopContent
{
    /// <summary>
    /// Writes <paramref name="seed"/> unless content is already there, as one step, so nodes starting together
    /// seed once and a restarted node never overwrites what the CMS published. True when this call wrote it.
    /// </summary>
    Task<bool> SeedIfAbsentAsync(ShopSeed seed, CancellationToken cancellationToken = default);

    /// <summary>Whether content is there to serve; throws when the store cannot be reached.</summary>
    Task<bool> IsSeededAsync(CancellationToken cancellationToken = default);

    Task<Product?> GetProductAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Every product, by id.</summary>
    Task<IReadOnlyList<Product>> ListProductsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Category>> ListCategoriesAsync(CancellationToken cancellationToken = default);

    /// <param name="email">Compared case-insensitively.</param>
    Task<Account?> FindAccountAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="change"/> and bumps the version; null when there is no such product.</summary>
    Task<Product?> UpdateProductAsync(int id, ProductChange change, DateTimeOffset at, CancellationToken cancellationToken = default);
}
