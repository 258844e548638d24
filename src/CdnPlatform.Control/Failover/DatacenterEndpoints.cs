using CdnPlatform.Control.Api;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Purging;

namespace CdnPlatform.Control.Failover;

/// <summary><c>GET /v1/dc</c> (ops): every datacenter's health as the monitor last probed it, and the failover verdict.</summary>
public static class DatacenterEndpoints
{
    public static void MapDatacenterEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/v1/dc", Get);

    private static IResult Get(HttpContext context, ApiKeyAuthenticator auth, DatacenterMonitor monitor)
    {
        if (auth.Authenticate(context.Request.Headers.Authorization) is not { } principal)
        {
            return PurgeEndpoints.Unauthorized();
        }
        if (!principal.May(ApiAction.Ops))
        {
            return PurgeEndpoints.Error(StatusCodes.Status403Forbidden, $"key '{principal.Name}' may not read the datacenters (needs 'ops')");
        }
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(monitor.Snapshot, ControlJsonContext.Default.DatacenterList);
    }
}
