using System.Globalization;
using System.Text.RegularExpressions;

namespace CdnPlatform.LoadTest.Workload;

/// <summary>The site's pages as its sitemap lists them (paths, in the sitemap's order: rank 1 first) and the products among them.</summary>
public sealed partial class ShopCatalog(IReadOnlyList<string> pages, IReadOnlyList<int> products)
{
    public IReadOnlyList<string> Pages { get; } = pages;

    public IReadOnlyList<int> Products { get; } = products;

    /// <summary>Reads a sitemap's <c>&lt;loc&gt;</c> entries, at most <paramref name="limit"/> of them.</summary>
    public static ShopCatalog FromSitemap(string xml, int limit)
    {
        var pages = SitemapLocation().Matches(xml)
            .Select(m => Uri.TryCreate(m.Groups[1].Value.Trim(), UriKind.Absolute, out var uri) ? uri.PathAndQuery : null)
            .OfType<string>().Distinct().Take(limit).ToList();
        var products = pages.Select(p => ProductPath().Match(p)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        return new ShopCatalog(pages, products);
    }

    [GeneratedRegex("<loc>([^<]+)</loc>")]
    private static partial Regex SitemapLocation();

    [GeneratedRegex("^/products/([0-9]+)$")]
    private static partial Regex ProductPath();
}
