using CdnPlatform.Origin.Assets;
using CdnPlatform.Origin.Catalogue;
using CdnPlatform.Origin.Diagnostics;
using CdnPlatform.Origin.Pages;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdnPlatform.Origin;

/// <summary>Composes an origin node: the reference shop site. <c>cdnctl up</c> builds several in one process.</summary>
public static class OriginHost
{
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    /// <param name="args">Command-line style arguments, e.g. <c>--urls http://127.0.21.11:8080 --Origin:Node primary-1</c>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The <c>Origin</c> section is invalid.</exception>
    /// <param name="configureServices">Runs before the host's own registrations: a launcher that runs many nodes in one process uses it.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var options = OriginOptions.Bind(builder.Configuration);
        configureServices?.Invoke(builder.Services);

        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ShopCatalogue>();
        builder.Services.AddSingleton<PageRenderer>();
        builder.Services.AddSingleton<SiteAssets>();
        builder.Services.AddSingleton<NodeDiagnostics>();

        var app = builder.Build();

        // Tells the edges, the gateway and the load tester which node answered, cached or not.
        app.Use((context, next) =>
        {
            context.Response.Headers["X-Served-By"] = options.Node;
            return next(context);
        });

        app.MapMethods("/", GetAndHead, (PageRenderer pages) => pages.Home());
        app.MapMethods("/products/{slug}", GetAndHead, (string slug, PageRenderer pages) => pages.Product(slug));
        app.MapMethods("/assets/{fileName}", GetAndHead, (string fileName, SiteAssets assets, PageRenderer pages) =>
            assets.TryGet(fileName, out var asset) ? asset : pages.NotFound());
        app.MapMethods("/cart", GetAndHead, (PageRenderer pages) => pages.Cart());
        app.MapPost("/cart", (PageRenderer pages) => pages.AddedToCart());
        app.MapMethods("/whoami", GetAndHead, (HttpRequest request, NodeDiagnostics node) => node.WhoAmI(request));
        app.MapMethods("/healthz", GetAndHead, (NodeDiagnostics node) => node.Health());
        // Every response carries Cache-Control, including a 404 for a path the site does not have.
        app.MapFallback("{**path}", (PageRenderer pages) => pages.NotFound());

        return app;
    }
}
