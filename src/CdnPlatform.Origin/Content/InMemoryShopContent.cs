namespace CdnPlatform.Origin.Content;

/// <summary>
/// The content store of <c>cdnctl up</c> without Redis: one instance is shared by the nodes of a datacenter
/// in this process, so a publish on one node is what the other two render next.
/// </summary>
public sealed class InMemoryShopContent : IShopContent
{
    private readonly Lock _lock = new();
    private Dictionary<int, Product>? _products;
    private IReadOnlyList<Category> _categories = [];
    private Dictionary<string, Account> _accounts = new(StringComparer.OrdinalIgnoreCase);

    public Task<bool> SeedIfAbsentAsync(ShopSeed seed, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_products is not null)
            {
                return Task.FromResult(false);
            }

            _categories = seed.Categories;
            _accounts = seed.Accounts.ToDictionary(a => a.Email, StringComparer.OrdinalIgnoreCase);
            _products = seed.Products.ToDictionary(p => p.Id);
            return Task.FromResult(true);
        }
    }

    public Task<bool> IsSeededAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_products is not null);
        }
    }

    public Task<Product?> GetProductAsync(int id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_products?.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<Product>> ListProductsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<Product> products = _products is null ? [] : [.. _products.Values.OrderBy(p => p.Id)];
            return Task.FromResult(products);
        }
    }

    public Task<IReadOnlyList<Category>> ListCategoriesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_categories);
        }
    }

    public Task<Account?> FindAccountAsync(string email, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_accounts.GetValueOrDefault(email));
        }
    }

    public Task<Product?> UpdateProductAsync(int id, ProductChange change, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_products is null || !_products.TryGetValue(id, out var product))
            {
                return Task.FromResult<Product?>(null);
            }

            var updated = change.ApplyTo(product, at);
            _products[id] = updated;
            return Task.FromResult<Product?>(updated);
        }
    }
}
