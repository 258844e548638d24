namespace CdnPlatform.Origin.Shop;

/// <summary>The cart as shown: each line with today's name and price, and who is logged in.</summary>
public sealed record CartView(IReadOnlyList<CartItem> Items, string? Account, string Node, string Datacenter)
{
    public int Count => Items.Sum(i => i.Quantity);

    public decimal Total => Items.Sum(i => i.LineTotal);
}
