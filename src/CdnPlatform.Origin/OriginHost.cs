using CdnPlatform.Observability;
using CdnPlatform.Origin.Assets;
using CdnPlatform.Origin.Content;
using CdnPlatform.Origin.Diagnostics;
using CdnPlatform.Origin.Endpoints;
using CdnPlatform.Origin.Pages;
using CdnPlatform.Origin.Publishing;
using CdnPlatform.Origin.Responses;
using CdnPlatform.Origin.Shop;
using CdnPlatform.Origin.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdnPlatform.Origin;

/// <summary>Composes an origin node: the reference shop. <c>cdnctl up</c> builds several in one process.</summary>
public static class OriginHost
{
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>The session cookie: <c>SameSite=Lax</c>, so another site's form cannot post with it.</summary>
    public const string SessionCookieName = "shop_session";

    /// <param name="args">Command-line style arguments, e.g. <c>--urls http://127.0.21.11:8080 --Origin:Node primary-1</c>.</param>
    /// <param name="configureServices">
    /// Runs before the host's own registrations: a launcher that runs many nodes in one process uses it, e.g. to
    /// give a datacenter's nodes one <see cref="InMemoryDatacenter"/>.
    /// </param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The <c>Origin</c> section is invalid.</exception>
    /// <exception cref="InvalidDataException">The seed content is missing or malformed.</exception>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var options = OriginOptions.Bind(builder.Configuration);
        var timeProvider = TimeProvider.System;
        configureServices?.Invoke(builder.Services);

        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(timeProvider);
        builder.Services.AddSingleton(sp => ShopSeed.Load(options.ContentPath, sp.GetRequiredService<TimeProvider>().GetUtcNow()));
        builder.Services.AddShopStorage(options);
        builder.Services.AddHostedService<ContentSeeder>();
        builder.Services.AddOutputCache(cache =>
        {
            var pageLifetime = TimeSpan.FromSeconds(options.PageSharedMaxAgeSeconds);
            cache.AddPolicy(CatalogEndpoints.RenderCachePolicy, policy => policy.Expire(pageLifetime).SetVaryByHost(true).SetVaryByQuery([]));
            cache.AddPolicy(CatalogEndpoints.SearchRenderCachePolicy, policy =>
                policy.Expire(TimeSpan.FromSeconds(options.SearchSharedMaxAgeSeconds)).SetVaryByHost(true).SetVaryByQuery("q"));
        });
        builder.Services.AddSession(session =>
        {
            session.Cookie.Name = SessionCookieName;
            session.Cookie.HttpOnly = true;
            session.Cookie.SameSite = SameSiteMode.Lax;
            session.Cookie.IsEssential = true;
            session.IdleTimeout = TimeSpan.FromHours(2);
        });
        builder.Services.AddSingleton<SiteAssets>();
        builder.Services.AddSingleton<HtmlLayout>();
        builder.Services.AddSingleton<PageCachePolicy>();
        builder.Services.AddSingleton<CatalogPages>();
        builder.Services.AddSingleton<PrivateResults>();
        builder.Services.AddSingleton<AccountPages>();
        builder.Services.AddSingleton<LoginHandoff>();
        builder.Services.AddSingleton<WriteGate>();
        builder.Services.AddSingleton<NodeDiagnostics>();
        builder.Services.AddSingleton<AdminPage>();
        builder.Services.AddSingleton<CmsKeyFilter>();
        builder.Services.TryAddSingleton<IPurgeTargetSource, ConfiguredPurgeTarget>();
        builder.Services.AddHttpClient(ControlPlanePurger.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15));
        builder.Services.AddSingleton<ControlPlanePurger>();
        builder.Services.AddSingleton<CmsPublisher>();
        builder.Services.AddHostedService<PurgeOutboxDrainer>();
        // ASP.NET Core's request counts and durations, per route and status, and the node's own, at /metrics.
        builder.Services.AddSingleton<OriginMetrics>();
        builder.Services.AddNodeMetrics("Microsoft.AspNetCore.Hosting", OriginMetrics.MeterName);

        var app = builder.Build();
        // Reading the seed here makes a bad content file a start-up error rather than a node that never gets ready.
        _ = app.Services.GetRequiredService<ShopSeed>();
        _ = app.Services.GetRequiredService<OriginMetrics>();

        // Tells the edges, the gateway and the load tester which node answered, cached or not.
        // Set as the headers go out, so a page from the render cache names the node that served it, not the one that rendered it.
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers["X-Served-By"] = options.Node;
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseNodeMetrics();
        app.UseRouting();
        app.UseStorageUnavailable();
        app.UseOutputCache();
        // Only the personal pages have a session. Public pages never make one, so they never set a cookie
        // (which would make them uncacheable) and never wait on the key ring or the session store.
        app.UseWhen(context => ShopSession.IsPersonalPath(context.Request.Path), personal =>
        {
            personal.UseSession();
            var handoff = personal.ApplicationServices.GetRequiredService<LoginHandoff>();
            personal.Use(handoff.TakeAsync);
        });

        app.MapCatalogEndpoints(GetAndHead);
        app.MapCartEndpoints(GetAndHead);
        app.MapAccountEndpoints(GetAndHead);
        app.MapCmsEndpoints();
        app.MapMethods("/whoami", GetAndHead, (HttpRequest request, NodeDiagnostics node) => node.WhoAmI(request))
            .WithMetadata(StorageIndependent.Instance);
        app.MapMethods("/healthz", GetAndHead, (NodeDiagnostics node, HttpContext context) => node.HealthAsync(context.RequestAborted))
            .WithMetadata(StorageIndependent.Instance);
        // Every response carries Cache-Control, including a 404 for a path the site does not have.
        app.MapFallback("{**path}", (CatalogPages pages) => pages.NotFound());

        return app;
    }
}
