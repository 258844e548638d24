namespace CdnPlatform.Origin.Shop;

/// <summary>One line of a cart as the session keeps it: what and how many, never the price (that is read at view time).</summary>
public sealed record CartLine(int ProductId, int Quantity);
