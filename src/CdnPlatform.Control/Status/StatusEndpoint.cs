using System.Globalization;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;
using CdnPlatform.Control.SiteDns.Secondaries;
using CdnPlatform.Control.Traffic;

namespace CdnPlatform.Control.Status;

/// <summary>
/// <c>GET /v1/status</c>: what the control plane knows of the network. Each edge's health is its <c>/healthz</c> as the
/// traffic poll (<see cref="PopTrafficMonitor"/>, every <c>Control:Traffic:PollMilliseconds</c>) last read it, or probed
/// now when that poll is off or has no recent reading. So the answer never waits on an edge that has stopped answering
/// (the dashboard asks every 2 s, and a probe gives such an edge 2 s), and asking does not probe every edge again.
/// </summary>
public static class StatusEndpoint
{
    public const string ProbeClient = "edge-probe";

    public static void MapStatusEndpoint(this IEndpointRouteBuilder app) => app.MapGet("/v1/status", GetAsync);

    private static async Task<IResult> GetAsync(HttpContext context, ApiKeyAuthenticator auth, ControlOptions options,
        IPurgeBus bus, PurgeTracker tracker, IHttpClientFactory clients, SecondaryPusher secondaries, PopTrafficMonitor traffic, TimeProvider time)
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
        var polls = traffic.Pops;
        var edges = await Task.WhenAll(options.Edges.Select(edge =>
            Polled(polls.FirstOrDefault(p => p.Name == edge.Name), options.Traffic, time) is { } polled
                ? Task.FromResult(polled)
                : ProbeAsync(client, edge, time, context.RequestAborted)));
        return Results.Json(new NetworkStatus(bus.Transport, [.. options.Sites.Select(s => new SiteSummary(s.Name, s.Hosts))], edges, tracker.Count,
                [.. secondaries.States.Select(s => new DnsSecondarySummary(s.Server, s.Zone, s.Status, s.AckedSerial, s.LastError))]),
            ControlJsonContext.Default.NetworkStatus);
    }

    // The poll's reading while it is recent: a round lasts at most the interval (or 1 s) and the next starts at the
    // next tick, so a reading older than two of the longer means the poll is not keeping up.
    private static EdgeHealth? Polled(PopTrafficStatus? pop, ControlTrafficOptions poll, TimeProvider time)
    {
        if (!poll.Enabled || pop?.PolledAt is not { } at)
        {
            return null;
        }
        var round = poll.PollInterval > TimeSpan.FromSeconds(1) ? poll.PollInterval : TimeSpan.FromSeconds(1);
        if (time.GetUtcNow() - at > round * 2)
        {
            return null;
        }
        var health = int.TryParse(pop.LastPoll, NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? status is >= 200 and < 300 ? "up" : $"unhealthy ({status})"
            : $"down ({pop.LastPoll})";
        return new EdgeHealth(pop.Name, pop.Url, health, at);
    }

    private static async Task<EdgeHealth> ProbeAsync(HttpClient client, ControlEdgeOptions edge, TimeProvider time, CancellationToken cancellationToken)
    {
        string health;
        try
        {
            using var response = await client.GetAsync(new Uri(new Uri(edge.Url), "/healthz"), cancellationToken);
            health = response.IsSuccessStatusCode ? "up" : $"unhealthy ({(int)response.StatusCode})";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            health = $"down ({e.GetType().Name}: {e.Message})";
        }
        return new EdgeHealth(edge.Name, edge.Url, health, time.GetUtcNow());
    }
}
