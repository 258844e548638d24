namespace CdnPlatform.Origin.Catalogue;

/// <summary>One product of the reference shop.</summary>
/// <param name="Slug">The URL segment, <c>/products/{Slug}</c>; also names the surrogate key <c>product-{Slug}</c>.</param>
public sealed record Product(string Slug, string Name, decimal PriceEuros, string Summary);
