using System.Text;
using CdnPlatform.Caching.Coalescing;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Revalidation;
using CdnPlatform.Cluster;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Forwarding;
using CdnPlatform.Edge.Health;
using CdnPlatform.Edge.Observability;
using CdnPlatform.Edge.Pipeline;
using CdnPlatform.Edge.Purging;
using CdnPlatform.Edge.Resolving;
using CdnPlatform.Edge.Storage;
using CdnPlatform.Observability;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdnPlatform.Edge;

/// <summary>Composition root of an edge node.</summary>
public static class EdgeHost
{
    /// <param name="args">Command-line style configuration (<c>--Edge:Name ams --urls http://127.0.10.1:8080</c>).</param>
    /// <param name="configureServices">Runs before the edge's own registrations: a launcher uses it to share one in-memory bus.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid; the message names its key.</exception>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        StandaloneMode.Apply(builder.Configuration);
        var options = EdgeOptions.Bind(builder.Configuration);
        var cluster = ClusterOptions.Bind(builder.Configuration);
        // The https:// addresses of --urls and their certificates (Edge:Tls), read now: a bad file fails start-up here.
        Tls.HttpsEndpoints.Configure(builder, options);

        // Hosting's per-request diagnostics (the "Request starting/finished" lines) open a log scope and start an
        // Activity for every request while any logger is on: a tenth of the hit path's throughput on 2 cores
        // (bench/RESULTS.md, 2026-12-06), for lines an edge never writes at its Warning level. Errors of the request
        // path are still logged by Kestrel and by the edge itself.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Same bytes out as in: field values with obs-text, read as Latin-1 from the origin, are written back as Latin-1.
            k.ResponseHeaderEncodingSelector = static _ => Encoding.Latin1;
            k.RequestHeaderEncodingSelector = static _ => Encoding.Latin1;
        });
        var services = builder.Services;
        configureServices?.Invoke(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<SiteDirectory>();
        services.AddSingleton(sp => new MemoryCacheStore(options.CacheBytes, sp.GetRequiredService<TimeProvider>(), options.EvictionPolicy));
        services.AddSingleton<RequestCoalescer>();
        services.AddSingleton(sp => new HitForPass(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CacheFill>();
        services.AddSingleton<BackgroundRevalidator>();
        services.AddHostedService<BanSweeper>();
        services.AddHostedService<HeapGovernor>();
        services.AddHttpForwarder();
        services.AddSingleton<OriginConnections>();
        services.AddSingleton<OriginResolver>();
        services.AddHostedService(sp => sp.GetRequiredService<OriginResolver>());
        services.AddSingleton<OriginTransformer>();
        services.AddSingleton<RecentOriginFailures>();
        services.AddSingleton<OriginHealthMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<OriginHealthMonitor>());
        services.AddSingleton<OriginFetcher>();
        services.AddSingleton<EdgeRequestHandler>();
        services.AddSingleton<EdgeTraffic>();
        services.AddSingleton<AccessLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessLogWriter>());
        services.AddSingleton<EdgeMetrics>();
        services.AddSingleton<EdgeRequestRecorder>();
        if (options.Metrics.Enabled)
        {
            services.AddNodeMetrics(EdgeMetrics.MeterName);
        }
        services.AddCdnCluster(cluster);
        services.AddSingleton<ListenerPorts>();
        services.AddSingleton<PurgeListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PurgeListener>());

        var app = builder.Build();
        var handler = app.Services.GetRequiredService<EdgeRequestHandler>();
        if (!options.Metrics.Enabled && !options.AccessLog.Enabled)
        {
            // Nothing watches the requests: nothing is wrapped around them.
            app.Run(handler.HandleAsync);
            return app;
        }
        if (options.Metrics.Enabled)
        {
            // The scrape is the edge's own document, answered by the handler only on a Host no site claims.
            handler.Metrics = app.BuildScrapeEndpoint();
            app.Services.GetRequiredService<EdgeMetrics>();
        }
        var recorder = app.Services.GetRequiredService<EdgeRequestRecorder>();
        SiteRequestDelegate handle = handler.Handle;
        app.Run(context => recorder.HandleAsync(context, handle));
        return app;
    }
}
