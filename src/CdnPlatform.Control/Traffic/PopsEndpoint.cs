using CdnPlatform.Control.Api;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Failover;

namespace CdnPlatform.Control.Traffic;

/// <summary><c>GET /v1/pops</c> (ops): each POP's request rate and hit ratio from its own traffic counters, as last polled.</summary>
public static class PopsEndpoint
{
    public static void MapPopsEndpoint(this IEndpointRouteBuilder app) => app.MapGet("/v1/pops", Get);

    private static IResult Get(HttpContext context, ApiKeyAuthenticator auth, PopTrafficMonitor monitor)
    {
        if (DatacenterEndpoints.Refuse(context, auth, "read the POPs' traffic", out _) is { } refused)
        {
            return refused;
        }
        return Results.Json(new PopList((int)monitor.PollInterval.TotalMilliseconds,
                [.. monitor.Pops.Select(p => new PopView(p.Name, p.Url, p.LastPoll, p.PolledAt, p.Counters?.Requests, p.Counters?.Hits, p.Traffic, p.NoTraffic))]),
            ControlJsonContext.Default.PopList);
    }
}
