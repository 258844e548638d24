using System.Text.Json;
using System.Text.Json.Serialization;
using CdnPlatform.OriginGateway.Drain;
using CdnPlatform.OriginGateway.Health;
using CdnPlatform.OriginGateway.Proxy;
using CdnPlatform.OriginGateway.Writes;
using CdnPlatform.Observability;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Health;

namespace CdnPlatform.OriginGateway;

/// <summary>
/// Composes a datacenter's origin gateway: a YARP load balancer over the datacenter's origin nodes, with
/// active and passive health checks, retries on another node, and drains. A datacenter runs a pair of them over the
/// same nodes; <c>cdnctl up</c> builds both of every datacenter in one process.
/// </summary>
public static class OriginGatewayHost
{
    /// <param name="args">
    /// Command-line style arguments, e.g. <c>--urls http://127.0.21.1:8080 --Gateway:Datacenter primary
    /// --Gateway:Nodes:0 http://127.0.21.11:8080</c>.
    /// </param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The <c>Gateway</c> section is invalid.</exception>
    /// <param name="configureServices">Runs before the host's own registrations: a launcher that runs many nodes in one process uses it.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var options = OriginGatewayOptions.Bind(builder.Configuration);
        configureServices?.Invoke(builder.Services);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<GatewayStatusReader>();
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddNodeMetrics(GatewayMetrics.MeterName, "Microsoft.AspNetCore.Hosting");
        builder.Services.AddSingleton<DrainedNodes>();
        builder.Services.AddSingleton<NodeProbes>();
        builder.Services.AddSingleton<AdminKeyCheck>();
        builder.Services.AddSingleton<WriteControl>();
        builder.Services.AddHostedService<PauseWatch>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddReverseProxy().LoadFromMemory([NodeCluster.Route()], [NodeCluster.Cluster(options)])
            .AddTransforms(WriteAcknowledgement.Add);
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, ConsecutiveNodeFailuresPolicy>();
        builder.Services.AddSingleton<IActiveHealthCheckPolicy, ConsecutiveProbeFailuresPolicy>();
        builder.Services.AddSingleton<IAvailableDestinationsPolicy, DrainAwareDestinationsPolicy>();

        var app = builder.Build();
        app.Services.GetRequiredService<GatewayMetrics>();
        app.UseNodeMetrics();
        app.UseRouting();
        app.MapGatewayEndpoints();
        app.MapDrainEndpoints();
        app.MapWriteEndpoints();
        app.MapReverseProxy(proxy =>
        {
            // YARP's default pipeline, with retries ahead of load balancing so that each attempt picks a node
            // among those the request has not tried.
            // A write held for a switchover waits before it is balanced, and one forwarded to the other datacenter skips the nodes.
            proxy.UseMiddleware<WriteHoldMiddleware>();
            proxy.UseMiddleware<NodeRetryMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
