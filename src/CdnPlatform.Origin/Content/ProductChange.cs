namespace CdnPlatform.Origin.Content;

/// <summary>What a CMS publish changes on a product; a null field is left as it is.</summary>
public sealed record ProductChange
{
    public decimal? Price { get; init; }

    public int? Stock { get; init; }

    public string? Name { get; init; }

    public string? Summary { get; init; }

    public Product ApplyTo(Product product, DateTimeOffset at) => product with
    {
        Price = Price ?? product.Price,
        Stock = Stock ?? product.Stock,
        Name = Name ?? product.Name,
        Summary = Summary ?? product.Summary,
        Version = product.Version + 1,
        UpdatedAt = at,
    };
}
