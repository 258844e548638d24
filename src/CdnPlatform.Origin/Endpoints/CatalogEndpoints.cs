using CdnPlatform.Origin.Assets;
using CdnPlatform.Origin.Pages;

namespace CdnPlatform.Origin.Endpoints;

/// <summary>
/// The public pages, each kept in the render cache (ASP.NET Core output caching, shared by the datacenter's
/// nodes) under the same tags its <c>Surrogate-Key</c> names, for as long as the edges may keep it.
/// </summary>
public static class CatalogEndpoints
{
    public const string RenderCachePolicy = "page";
    public const string SearchRenderCachePolicy = "search";

    public static void MapCatalogEndpoints(this IEndpointRouteBuilder app, string[] getAndHead)
    {
        app.MapMethods("/", getAndHead, (CatalogPages pages, HttpContext context) => pages.HomeAsync(context.RequestAborted))
            .CacheOutput(RenderCachePolicy);
        app.MapMethods("/category/{slug}", getAndHead, (string slug, CatalogPages pages, HttpContext context) =>
            pages.CategoryAsync(slug, context.RequestAborted)).CacheOutput(RenderCachePolicy);
        app.MapMethods("/products/{id}", getAndHead, (string id, CatalogPages pages, HttpContext context) =>
            pages.ProductAsync(id, context.RequestAborted)).CacheOutput(RenderCachePolicy);
        app.MapMethods("/search", getAndHead, (CatalogPages pages, HttpContext context) =>
            pages.SearchAsync(context.Request, context.RequestAborted)).CacheOutput(SearchRenderCachePolicy);
        app.MapMethods("/sitemap.xml", getAndHead, (CatalogPages pages, HttpContext context) =>
            pages.SitemapAsync(context.Request, context.RequestAborted)).CacheOutput(RenderCachePolicy);
        app.MapMethods("/assets/{fileName}", getAndHead, (string fileName, SiteAssets assets, CatalogPages pages) =>
            assets.TryGet(fileName, out var asset) ? asset : pages.NotFound())
            // Held in memory: served while the datacenter's Redis is silent (an unknown name's 404 page may then fail).
            .WithMetadata(Storage.StorageIndependent.Instance);
    }
}
