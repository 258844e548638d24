using CdnPlatform.Cluster;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Audit;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.CloudFront;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Dashboard;
using CdnPlatform.Control.Failover;
using CdnPlatform.Control.SiteDns;
using CdnPlatform.Control.SiteDns.Secondaries;
using CdnPlatform.Dns.Updating;
using CdnPlatform.Control.Nodes;
using CdnPlatform.Control.Observability;
using CdnPlatform.Observability;
using CdnPlatform.Control.Purging;
using CdnPlatform.Control.Status;
using CdnPlatform.Control.Traffic;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdnPlatform.Control;

/// <summary>Composition root of the control plane.</summary>
public static class ControlHost
{
    /// <param name="configureServices">Runs before the control plane's own registrations: a launcher uses it to share one in-memory bus.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid; the message names its key.</exception>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = ControlOptions.Bind(builder.Configuration);
        var cluster = ClusterOptions.Bind(builder.Configuration);

        var services = builder.Services;
        configureServices?.Invoke(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<PurgeRateLimiter>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<CloudFrontPurger>();
        services.AddSingleton<PurgeRequestValidator>();
        services.AddSingleton<PurgeMetrics>();
        services.AddSingleton<DnsQueryMetrics>();
        services.AddSingleton<DatacenterMetrics>();
        services.AddNodeMetrics(ControlMeter.Name);
        services.AddSingleton<PurgeTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<PurgeTracker>());
        services.AddHostedService<PurgeApiWarmup>();
        services.AddCdnCluster(cluster);
        // Beside the purge log, outside both datacenters; without Redis the state lasts as long as the process.
        services.TryAddSingleton<IFailoverStateStore>(sp => cluster.Transport == "redis"
            ? new RedisFailoverStateStore(sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(), cluster.KeyPrefix)
            : new InMemoryFailoverStateStore());
        services.AddHttpClient(StatusEndpoint.ProbeClient, c => c.Timeout = TimeSpan.FromSeconds(2));
        services.AddSingleton<SiteDnsService>();
        services.AddHostedService(sp => sp.GetRequiredService<SiteDnsService>());
        services.AddHostedService<DnsChangeAnnouncer>();
        // After SiteDnsService, so its zones are published before the first health change reaches it.
        services.AddSingleton<PopHealthMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<PopHealthMonitor>());
        services.AddHttpClient(PopHealthMonitor.HttpClientName);
        // After SiteDnsService: hosted services start in order, and the pusher starts from the zones it published.
        services.TryAddSingleton<IDnsUpdateSender>(_ => new DnsUpdateSender());
        services.AddSingleton<SecondaryPusher>();
        services.AddHostedService(sp => sp.GetRequiredService<SecondaryPusher>());
        services.AddSingleton<DrainSet>();
        services.AddSingleton<GatewayClient>();
        services.AddSingleton<NodeRotation>();
        // Before the reasserter, which asserts the write modes of the active datacenter the saved state names.
        services.AddHostedService(sp => sp.GetRequiredService<DatacenterSwitch>());
        services.AddHostedService<DrainReasserter>();
        services.AddSingleton<PopTrafficMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<PopTrafficMonitor>());
        // Each poll bounded by the poll's own deadline.
        services.AddHttpClient(PopTrafficMonitor.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<EdgeOriginViews>();
        services.AddHostedService(sp => sp.GetRequiredService<EdgeOriginViews>());
        // Each request bounded by the poll's own deadline.
        services.AddHttpClient(EdgeOriginViews.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<DatacenterMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<DatacenterMonitor>());
        services.AddSingleton<DatacenterSwitch>();
        services.AddHostedService<AutomaticFailover>();
        // No timeout of its own: each probe is bounded by the probe interval.
        services.AddHttpClient(DatacenterMonitor.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        // Short: a gateway that does not answer within it keeps its nodes "draining", and the next re-assertion is due anyway.
        services.AddHttpClient(GatewayClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(2));
        // Redirects are not followed: they would replay a signature made for another URL. Each site's client is
        // kept for the process, so connections are recycled by age (DNS changes are seen), not by handler rotation.
        services.AddHttpClient(CloudFrontPurger.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        var app = builder.Build();
        app.Services.GetRequiredService<DatacenterMetrics>();
        app.UseNodeMetrics();
        app.UseRouting();
        app.MapGet("/healthz", () => Results.Json(new NodeHealth("ok", "control"), ControlJsonContext.Default.NodeHealth));
        app.MapGet("/v1/openapi.yaml", () =>
        {
            var document = typeof(ControlHost).Assembly.GetManifestResourceStream("openapi.yaml")!;
            return Results.Stream(document, "application/yaml");
        });
        app.MapPurgeEndpoints();
        app.MapRecentPurgesEndpoint();
        app.MapStatusEndpoint();
        app.MapNodeEndpoints();
        app.MapDnsEndpoint();
        app.MapDatacenterEndpoints();
        app.MapDatacenterPowerEndpoints();
        app.MapPopsEndpoint();
        app.MapAuditEndpoint();
        app.MapDashboardEndpoint();
        return app;
    }
}
