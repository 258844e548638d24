using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CdnPlatform.Origin.Catalogue;

/// <summary>
/// The shop's products. A small fixed list for now: the content moves to the datacenter's Redis with the CMS.
/// </summary>
public sealed partial class ShopCatalogue
{
    private readonly Dictionary<string, Product> _bySlug;

    public ShopCatalogue(TimeProvider timeProvider)
    {
        LastModified = timeProvider.GetUtcNow();
        Products =
        [
            new Product("espresso-machine", "Espresso machine", 349.00m, "Dual boiler, 58 mm portafilter, PID temperature control."),
            new Product("burr-grinder", "Burr grinder", 189.50m, "Conical steel burrs with 40 grind settings."),
            new Product("milk-jug", "Milk jug", 24.90m, "600 ml stainless steel jug for latte art."),
            new Product("coffee-beans", "Coffee beans, 1 kg", 29.00m, "Medium roast, washed Ethiopian and Brazilian blend."),
        ];
        _bySlug = Products.ToDictionary(p => p.Slug, StringComparer.Ordinal);
    }

    public IReadOnlyList<Product> Products { get; }

    /// <summary>
    /// When the content last changed, for <c>Last-Modified</c>: when it was loaded, later when the CMS publishes.
    /// Not the render time, which Kestrel's once-a-second <c>Date</c> header could trail.
    /// </summary>
    public DateTimeOffset LastModified { get; }

    public bool TryFind(string slug, [NotNullWhen(true)] out Product? product) => _bySlug.TryGetValue(slug, out product);

    /// <summary>
    /// Whether <paramref name="slug"/> has the shape of a slug, so it is safe to put in a surrogate key
    /// (keys are space-separated tokens in a response header).
    /// </summary>
    public static bool IsWellFormedSlug(string slug) => SlugPattern().IsMatch(slug);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex SlugPattern();
}
