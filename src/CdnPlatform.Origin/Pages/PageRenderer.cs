using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using CdnPlatform.Origin.Catalogue;
using CdnPlatform.Origin.Responses;

namespace CdnPlatform.Origin.Pages;

/// <summary>
/// Renders the shop's HTML pages. Each page says which node rendered it and when, so a cache hit is visible
/// as an old render time.
/// </summary>
public sealed class PageRenderer(OriginOptions options, ShopCatalogue catalogue, TimeProvider timeProvider)
{
    private const string HtmlContentType = "text/html; charset=utf-8";

    // Browsers keep a page briefly; the edges keep it for the configured time and are purged on publish.
    private readonly string _pageCacheControl = $"public, max-age=60, s-maxage={options.PageSharedMaxAgeSeconds}";

    public ShopResponse Home()
    {
        var list = new StringBuilder("<ul class=\"products\">\n");
        foreach (var product in catalogue.Products)
        {
            list.Append(CultureInfo.InvariantCulture,
                $"  <li><a href=\"/products/{product.Slug}\">{Encode(product.Name)}</a> {Price(product)}</li>\n");
        }

        list.Append("</ul>");
        return Page(StatusCodes.Status200OK, "Coffee shop", list.ToString(), _pageCacheControl, "page home");
    }

    public ShopResponse Product(string slug)
    {
        if (!catalogue.TryFind(slug, out var product))
        {
            return NotFound(slug);
        }

        var main = $"""
            <h2>{Encode(product.Name)}</h2>
            <p class="price">{Price(product)}</p>
            <p>{Encode(product.Summary)}</p>
            <form method="post" action="/cart">
              <input type="hidden" name="product" value="{product.Slug}">
              <button type="submit">Add to cart</button>
            </form>
            <p><a href="/">All products</a></p>
            """;
        return Page(StatusCodes.Status200OK, product.Name, main, _pageCacheControl, $"page product-{product.Slug}");
    }

    /// <param name="productSlug">The product asked for, if any: its key lets a publish purge the cached 404.</param>
    public ShopResponse NotFound(string? productSlug = null)
    {
        var surrogateKey = productSlug is not null && ShopCatalogue.IsWellFormedSlug(productSlug)
            ? $"page product-{productSlug}"
            : "page";
        // Cached briefly, so a burst of requests for a missing page does not reach the origin each time.
        return Page(StatusCodes.Status404NotFound, "Not found",
            "<h2>Not found</h2>\n<p>There is no such page. <a href=\"/\">All products</a></p>",
            "public, s-maxage=60", surrogateKey);
    }

    // A placeholder: carts need sessions, which arrive with the datacenter's Redis in a later issue.
    public ShopResponse Cart() => CartPage("<h2>Your cart</h2>\n<p>Your cart is empty.</p>");

    // A placeholder like Cart(): nothing is stored until sessions exist.
    public ShopResponse AddedToCart() => CartPage("<h2>Your cart</h2>\n<p>Added to your cart.</p>");

    private ShopResponse Page(int statusCode, string title, string main, string cacheControl, string surrogateKey)
    {
        var body = Render(title, main);
        return new ShopResponse
        {
            StatusCode = statusCode,
            ContentType = HtmlContentType,
            Body = body,
            CacheControl = cacheControl,
            SurrogateKey = surrogateKey,
            ETag = ShopResponse.StrongETagOf(body),
            LastModified = catalogue.LastModified,
        };
    }

    // Personal and different after every click: no cache may keep it, so it carries no validators either.
    private ShopResponse CartPage(string main) => new()
    {
        ContentType = HtmlContentType,
        Body = Render("Cart", main),
        CacheControl = "private, no-store",
    };

    private byte[] Render(string title, string main)
    {
        var renderedAt = timeProvider.GetUtcNow();
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{Encode(title)}</title>
            <link rel="stylesheet" href="/assets/site.css">
            <script src="/assets/app.js" defer></script>
            </head>
            <body>
            <header><a href="/"><img src="/assets/logo.svg" alt="Coffee shop" width="48" height="48"></a> <a href="/cart">Cart</a></header>
            <main>
            {main}
            </main>
            <footer class="rendered">Rendered by node {Encode(options.Node)} in datacenter {Encode(options.Datacenter)} at {renderedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}</footer>
            </body>
            </html>

            """;
        return Encoding.UTF8.GetBytes(html);
    }

    private static string Price(Product product) =>
        Encode(string.Create(CultureInfo.InvariantCulture, $"€{product.PriceEuros:0.00}"));

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
