namespace CdnPlatform.Origin.Content;

/// <summary>One product of the reference shop, as stored in the datacenter's content store.</summary>
/// <param name="Id">The URL segment, <c>/products/{Id}</c>; also names the surrogate key <c>product-{Id}</c>.</param>
/// <param name="Category">The slug of its category; names the surrogate key <c>category-{Category}</c>.</param>
/// <param name="Version">Starts at 1 and grows with every publish: the page's entity tag is made from it.</param>
public sealed record Product
{
    public required int Id { get; init; }

    public required string Slug { get; init; }

    public required string Name { get; init; }

    public required string Category { get; init; }

    public required decimal Price { get; init; }

    public required int Stock { get; init; }

    public required string Summary { get; init; }

    public long Version { get; init; } = 1;

    public DateTimeOffset UpdatedAt { get; init; }
}
