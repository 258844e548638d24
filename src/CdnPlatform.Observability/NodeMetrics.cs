using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace CdnPlatform.Observability;

/// <summary>
/// Prometheus metrics of one node: its own System.Diagnostics.Metrics meters, exported in the Prometheus text
/// format by OpenTelemetry's exporter (docs/metrics.md says why that exporter).
/// </summary>
/// <remarks>
/// One node, one set of series, even when several nodes share a process (<c>cdnctl up</c>, the tests): OpenTelemetry
/// listens to meters by name across the process, so a view drops every instrument that was not made by this host's
/// own <see cref="IMeterFactory"/>. A dropped instrument is not listened to at all, so another node's requests cost
/// this one nothing.
/// </remarks>
public static class NodeMetrics
{
    /// <summary>The scrape path on every node.</summary>
    public const string Path = "/metrics";

    /// <summary>
    /// Buckets for durations in seconds: from a cache hit (sub-millisecond) to an origin fetch that times out.
    /// OpenTelemetry's default buckets are made for milliseconds.
    /// </summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>Registers the exporter for the meters named (this host's own instances of them only).</summary>
    /// <remarks>
    /// Also for ASP.NET Core's own meters (<c>Microsoft.AspNetCore.Hosting</c>: <c>http_server_request_duration_seconds</c>),
    /// which a host names when the cost of a measurement per request is acceptable: not on an edge's hit path.
    /// </remarks>
    public static IServiceCollection AddNodeMetrics(this IServiceCollection services, params string[] meterNames)
    {
        services.AddMetrics();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(meterNames)
            .AddPrometheusExporter(exporter =>
            {
                // Every scrape sees the counters as they are: a cached answer would hide the last requests from a
                // test or an operator who scrapes twice in a row.
                exporter.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        services.ConfigureOpenTelemetryMeterProvider((provider, builder) =>
        {
            var own = provider.GetRequiredService<IMeterFactory>();
            builder.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop);
        });
        return services;
    }

    /// <summary>
    /// The field an edge adds to every request it forwards (RFC 8586). A request that carries it came through a CDN,
    /// possibly on a visitor's behalf: <see cref="UseNodeMetrics"/> does not answer it.
    /// </summary>
    public const string CdnLoopHeader = "CDN-Loop";

    /// <summary>
    /// Serves <c>GET /metrics</c> on a gateway, an origin node or the control plane, but not to a request an edge
    /// forwarded: behind the edges, a site's <c>/metrics</c> would otherwise be a visitor's window on the origin's
    /// counters. Such a request goes on as any other (a gateway forwards it to a node, where it is the site's path).
    /// Call it before <c>UseRouting</c>: a scrape then matches no route, and is not counted as one of the host's
    /// requests (a gateway would count it under its catch-all route, as a forwarded request).
    /// </summary>
    public static IApplicationBuilder UseNodeMetrics(this IApplicationBuilder app) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(static context =>
            context.Request.Path == Path && !context.Request.Headers.ContainsKey(CdnLoopHeader));

    /// <summary>
    /// The scrape as a request delegate of its own, for a host without routing that decides itself which requests
    /// are its own (an edge answers a site's <c>/metrics</c> from the site).
    /// </summary>
    public static RequestDelegate BuildScrapeEndpoint(this IApplicationBuilder app)
    {
        var branch = app.New();
        branch.UseOpenTelemetryPrometheusScrapingEndpoint(Path);
        branch.Run(static context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        return branch.Build();
    }
}
