using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;
using CdnPlatform.Control.SiteDns.Secondaries;

namespace CdnPlatform.Control.Status;

/// <summary><c>GET /v1/status</c>: what the control plane knows of the network, with each edge probed now.</summary>
public static class StatusEndpoint
{
    public const string ProbeClient = "edge-probe";

    public static void MapStatusEndpoint(this IEndpointRouteBuilder app) => app.MapGet("/v1/status", GetAsync);

    private static async Task<IResult> GetAsync(HttpContext context, ApiKeyAuthenticator auth, ControlOptions options,
        IPurgeBus bus, PurgeTracker tracker, IHttpClientFactory clients, SecondaryPusher secondaries)
    {
        if (auth.Authenticate(context.Request.Headers.Authorization) is not { } principal)
        {
            return PurgeEndpoints.Unauthorized();
        }
        if (!principal.May(ApiAction.Ops))
        {
            return PurgeEndpoints.Error(StatusCodes.Status403Forbidden, $"key '{principal.Name}' may not read the network status (needs 'ops')");
        }
        var client = clients.CreateClient(ProbeClient);
        var edges = await Task.WhenAll(options.Edges.Select(async edge =>
        {
            string health;
            try
            {
                using var response = await client.GetAsync(new Uri(new Uri(edge.Url), "/healthz"), context.RequestAborted);
                health = response.IsSuccessStatusCode ? "up" : $"unhealthy ({(int)response.StatusCode})";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                health = $"down ({e.GetType().Name}: {e.Message})";
            }
            return new EdgeHealth(edge.Name, edge.Url, health);
        }));
        return Results.Json(new NetworkStatus(bus.Transport, [.. options.Sites.Select(s => new SiteSummary(s.Name, s.Hosts))], edges, tracker.Count,
                [.. secondaries.States.Select(s => new DnsSecondarySummary(s.Server, s.Zone, s.Status, s.AckedSerial, s.LastError))]),
            ControlJsonContext.Default.NetworkStatus);
    }
}
