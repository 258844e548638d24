using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using CdnPlatform.Origin.Assets;

namespace CdnPlatform.Origin.Pages;

/// <summary>
/// The frame every HTML page shares. Its footer says which node and datacenter rendered the page and when, so
/// a cache hit (edge or render cache) shows as an old render time and a failover as another datacenter.
/// Public pages carry nothing personal: the header links to the cart and the account without counts.
/// </summary>
public sealed class HtmlLayout(OriginOptions options, SiteAssets assets, TimeProvider timeProvider)
{
    public const string ContentType = "text/html; charset=utf-8";

    public byte[] Render(string title, string main)
    {
        var renderedAt = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)} · Coffee shop</title>
            <link rel="stylesheet" href="{assets.UrlOf("site.css")}">
            <script src="{assets.UrlOf("app.js")}" defer></script>
            </head>
            <body>
            <header><a href="/"><img src="{assets.UrlOf("logo.svg")}" alt="Coffee shop" width="48" height="48"></a>
            <form action="/search" method="get"><input name="q" type="search" placeholder="Search" aria-label="Search"></form>
            <a href="/cart">Cart</a> <a href="/account">Account</a></header>
            <main>
            {main}
            </main>
            <footer class="rendered" data-node="{Encode(options.Node)}" data-datacenter="{Encode(options.Datacenter)}">Rendered by node {Encode(options.Node)} in datacenter {Encode(options.Datacenter)} at {renderedAt}</footer>
            </body>
            </html>

            """;
        return Encoding.UTF8.GetBytes(html);
    }

    // Every script is left as it is (the pages are UTF-8): only what HTML gives meaning to is escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string text) => Encoder.Encode(text);

    public static string Price(decimal euros) => Encode(string.Create(CultureInfo.InvariantCulture, $"€{euros:0.00}"));
}
