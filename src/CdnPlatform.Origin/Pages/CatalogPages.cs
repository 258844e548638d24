using System.Globalization;
using System.Text;
using System.Xml;
using CdnPlatform.Origin.Content;
using CdnPlatform.Origin.Responses;
using static CdnPlatform.Origin.Pages.HtmlLayout;

namespace CdnPlatform.Origin.Pages;

/// <summary>
/// The public pages: home, category, product, search, sitemap and 404. Each is cacheable, tagged with the
/// surrogate keys a publish purges (<c>product-{id}</c> on every page that shows the product), and carries a
/// weak <c>ETag</c> and a <c>Last-Modified</c> made from the content versions it shows.
/// </summary>
public sealed class CatalogPages(IShopContent content, HtmlLayout layout, PageCachePolicy policy)
{
    public async Task<ShopResponse> HomeAsync(CancellationToken cancellationToken)
    {
        var categories = await content.ListCategoriesAsync(cancellationToken);
        var products = await content.ListProductsAsync(cancellationToken);
        var main = new StringBuilder("<h2>Categories</h2>\n<ul class=\"categories\">\n");
        foreach (var category in categories)
        {
            main.Append(CultureInfo.InvariantCulture, $"  <li><a href=\"/category/{category.Slug}\">{Encode(category.Name)}</a></li>\n");
        }
        main.Append("</ul>\n<h2>All products</h2>\n").Append(ProductList(products));
        return Page("Coffee shop", main.ToString(), ["page-home", .. ProductTags(products)], "home", products);
    }

    public async Task<ShopResponse> CategoryAsync(string slug, CancellationToken cancellationToken)
    {
        var category = (await content.ListCategoriesAsync(cancellationToken)).FirstOrDefault(c => c.Slug == slug);
        if (category is null)
        {
            return NotFound();
        }

        var products = (await content.ListProductsAsync(cancellationToken)).Where(p => p.Category == slug).ToList();
        var main = $"<h2>{Encode(category.Name)}</h2>\n{ProductList(products)}";
        return Page(category.Name, main, ["page-category", $"category-{slug}", .. ProductTags(products)], $"category-{slug}", products);
    }

    public async Task<ShopResponse> ProductAsync(string id, CancellationToken cancellationToken)
    {
        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var productId)
            || productId.ToString(CultureInfo.InvariantCulture) != id
            || await content.GetProductAsync(productId, cancellationToken) is not { } product)
        {
            return NotFound();
        }

        var stock = product.Stock > 0 ? $"In stock: {product.Stock}" : "Out of stock";
        var main = $"""
            <h2>{Encode(product.Name)}</h2>
            <p class="price" data-product-id="{product.Id}">{Price(product.Price)}</p>
            <p class="stock">{stock}</p>
            <p>{Encode(product.Summary)}</p>
            <form method="post" action="/cart">
              <input type="hidden" name="productId" value="{product.Id}">
              <input type="number" name="quantity" value="1" min="1" max="99" aria-label="Quantity">
              <button type="submit"{(product.Stock > 0 ? "" : " disabled")}>Add to cart</button>
            </form>
            <p><a href="/category/{product.Category}">More like this</a> · <a href="/">All products</a></p>
            """;
        return Page(product.Name, main, ["page-product", $"product-{product.Id}", $"category-{product.Category}"],
            $"product-{product.Id}", [product]);
    }

    /// <summary>A search, or a redirect to its canonical URL when the request spells it another way.</summary>
    public async Task<ShopResponse> SearchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var normalized = SearchQuery.Normalize(request.Query["q"]);
        var canonical = SearchQuery.CanonicalPathAndQuery(normalized);
        if (request.Path + request.QueryString != canonical)
        {
            return new ShopResponse
            {
                StatusCode = StatusCodes.Status301MovedPermanently,
                ContentType = "text/plain; charset=utf-8",
                Body = Encoding.UTF8.GetBytes($"See {canonical}\n"),
                // The same spelling always redirects to the same place.
                CacheControl = "public, max-age=86400",
                Location = canonical,
            };
        }

        var products = normalized.Length == 0
            ? []
            : (await content.ListProductsAsync(cancellationToken)).Where(p => SearchQuery.Matches(normalized, p)).ToList();
        var heading = normalized.Length == 0
            ? "<h2>Search</h2>\n<p>Type what you are looking for.</p>"
            : $"<h2>{products.Count} result(s) for “{Encode(normalized)}”</h2>";
        var page = Page("Search", $"{heading}\n{ProductList(products)}", ["page-search", .. ProductTags(products)],
            $"search-{normalized}", products);
        return page with { CacheControl = policy.SearchCacheControl, SurrogateControl = policy.SearchSurrogateControl };
    }

    public async Task<ShopResponse> SitemapAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var categories = await content.ListCategoriesAsync(cancellationToken);
        var products = await content.ListProductsAsync(cancellationToken);
        var origin = $"{request.Scheme}://{request.Host}";
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        xml.Append(CultureInfo.InvariantCulture, $"  <url><loc>{Xml(origin)}/</loc></url>\n");
        foreach (var category in categories)
        {
            xml.Append(CultureInfo.InvariantCulture, $"  <url><loc>{Xml(origin)}/category/{category.Slug}</loc></url>\n");
        }
        foreach (var product in products)
        {
            xml.Append(CultureInfo.InvariantCulture,
                $"  <url><loc>{Xml(origin)}/products/{product.Id}</loc><lastmod>{XmlConvert.ToString(product.UpdatedAt)}</lastmod></url>\n");
        }
        xml.Append("</urlset>\n");
        return new ShopResponse
        {
            ContentType = "application/xml; charset=utf-8",
            Body = Encoding.UTF8.GetBytes(xml.ToString()),
            CacheControl = policy.PageCacheControl,
            SurrogateControl = policy.PageSurrogateControl,
            Tags = ["page-sitemap", .. ProductTags(products)],
            ETag = ShopResponse.WeakETagOf("sitemap|" + Versions(products)),
            LastModified = LastModified(products),
        };
    }

    public ShopResponse NotFound() => new()
    {
        StatusCode = StatusCodes.Status404NotFound,
        ContentType = HtmlLayout.ContentType,
        Body = layout.Render("Not found", "<h2>Not found</h2>\n<p>There is no such page. <a href=\"/\">All products</a></p>"),
        CacheControl = PageCachePolicy.NotFoundCacheControl,
        Tags = ["page-notfound"],
    };

    private ShopResponse Page(string title, string main, IReadOnlyList<string> tags, string kind, IReadOnlyList<Product> shown) => new()
    {
        ContentType = HtmlLayout.ContentType,
        Body = layout.Render(title, main),
        CacheControl = policy.PageCacheControl,
        SurrogateControl = policy.PageSurrogateControl,
        Tags = tags,
        ETag = ShopResponse.WeakETagOf(kind + "|" + Versions(shown)),
        LastModified = LastModified(shown),
    };

    private static string ProductList(IReadOnlyList<Product> products)
    {
        var list = new StringBuilder("<ul class=\"products\">\n");
        foreach (var product in products)
        {
            list.Append(CultureInfo.InvariantCulture,
                $"  <li><a href=\"/products/{product.Id}\">{Encode(product.Name)}</a> <span class=\"price\" data-product-id=\"{product.Id}\">{Price(product.Price)}</span></li>\n");
        }
        return list.Append("</ul>").ToString();
    }

    private static IEnumerable<string> ProductTags(IEnumerable<Product> products) => products.Select(p => $"product-{p.Id}");

    private static string Versions(IEnumerable<Product> products) =>
        string.Join(',', products.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Id}:{p.Version}")));

    private static DateTimeOffset? LastModified(IReadOnlyList<Product> products) =>
        products.Count == 0 ? null : products.Max(p => p.UpdatedAt);

    private static string Xml(string text) => System.Security.SecurityElement.Escape(text);
}
