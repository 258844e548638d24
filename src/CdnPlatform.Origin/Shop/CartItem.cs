namespace CdnPlatform.Origin.Shop;

/// <summary>One cart line with the product's current name and price.</summary>
public sealed record CartItem(int ProductId, string Name, int Quantity, decimal Price)
{
    public decimal LineTotal => Price * Quantity;
}
