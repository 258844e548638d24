using CdnPlatform.Origin.Content;

namespace CdnPlatform.Origin.Shop;

/// <summary>The cart's rules, apart from where the session keeps it.</summary>
public static class Cart
{
    /// <summary>At most this many of one product in a cart.</summary>
    public const int MaxQuantity = 99;

    /// <summary>
    /// The lines after adding <paramref name="quantity"/> of a product (0 removes it), or the reason it cannot be
    /// added: no more than the stock, no more than <see cref="MaxQuantity"/>.
    /// </summary>
    public static (IReadOnlyList<CartLine>? Lines, string? Problem) Add(IReadOnlyList<CartLine> lines, Product product, int quantity)
    {
        var current = lines.FirstOrDefault(l => l.ProductId == product.Id)?.Quantity ?? 0;
        var wanted = quantity == 0 ? 0 : current + quantity;
        if (wanted > MaxQuantity)
        {
            return (null, $"quantity: at most {MaxQuantity} of one product per cart");
        }
        if (wanted > product.Stock)
        {
            return (null, product.Stock == 0 ? $"{product.Name} is out of stock" : $"quantity: only {product.Stock} of {product.Name} in stock");
        }

        var others = lines.Where(l => l.ProductId != product.Id);
        return (wanted == 0 ? [.. others] : [.. others, new CartLine(product.Id, wanted)], null);
    }

    /// <summary>The cart with today's names and prices; a line whose product no longer exists is left out.</summary>
    public static async Task<CartView> ViewAsync(IReadOnlyList<CartLine> lines, string? account, IShopContent content,
        OriginOptions options, CancellationToken cancellationToken)
    {
        var items = new List<CartItem>(lines.Count);
        foreach (var line in lines)
        {
            if (await content.GetProductAsync(line.ProductId, cancellationToken) is { } product)
            {
                items.Add(new CartItem(product.Id, product.Name, line.Quantity, product.Price));
            }
        }
        return new CartView(items, account, options.Node, options.Datacenter);
    }
}
