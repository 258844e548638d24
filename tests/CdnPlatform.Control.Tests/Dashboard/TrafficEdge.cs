using CdnPlatform.Control.Traffic;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Control.Tests.Dashboard;

/// <summary>
/// An edge's own <c>/healthz</c> on a loopback socket, reporting the traffic counters the test sets, or none (an edge
/// from before the counters). Stands in for the edge only where the edge itself does not report counters yet.
/// </summary>
internal sealed class TrafficEdge : IAsyncDisposable
{
    private readonly RunningHost _host;
    // Boxed, so a poll reads both counters of one setting, never requests from one and hits from another.
    private volatile object? _counters;

    private TrafficEdge(RunningHost host) => _host = host;

    public Uri Url => _host.Address;

    /// <summary>What <c>/healthz</c> reports under <c>traffic</c>; null leaves the object out.</summary>
    public TrafficCounters? Counters
    {
        get => (TrafficCounters?)_counters;
        set => _counters = value;
    }

    public static async Task<TrafficEdge> StartAsync(string address)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{address}:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TrafficEdge? edge = null;
        app.MapGet("/healthz", () => edge!.Counters is { } c
            ? Results.Text($$$"""{"status":"ok","traffic":{"requests":{{{c.Requests}}},"hits":{{{c.Hits}}}}}""", "application/json")
            : Results.Text("""{"status":"ok"}""", "application/json"));
        edge = new TrafficEdge(await RunningHost.StartAsync(app));
        return edge;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
