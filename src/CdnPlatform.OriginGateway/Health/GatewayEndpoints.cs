namespace CdnPlatform.OriginGateway.Health;

/// <summary>
/// The gateway's own endpoints. They answer for any Host: the control plane's health monitor and ops reach
/// them by address, visitors' requests carry the site's Host.
/// </summary>
public static class GatewayEndpoints
{
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/healthz", GetAndHead, Healthz);
        endpoints.MapMethods("/gateway/status", GetAndHead, Status);
        return endpoints;
    }

    // The control plane fails the datacenter over when this says 503, so it does only when no node can serve;
    // a drained node that is healthy still can (the gateway falls back on it), so it counts.
    private static IResult Healthz(HttpResponse response, GatewayStatusReader reader)
    {
        response.Headers.CacheControl = "no-store";
        var status = reader.Read();
        if (status.HealthyNodes > 0)
        {
            return Results.Json(new
            {
                status = "ok",
                datacenter = status.Datacenter,
                availableNodes = status.HealthyNodes,
                configuredNodes = status.Nodes.Count,
            });
        }

        return Results.Json(
            new
            {
                status = "unhealthy",
                datacenter = status.Datacenter,
                reason = $"all {status.Nodes.Count} origin nodes are unhealthy",
            },
            statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult Status(HttpResponse response, GatewayStatusReader reader)
    {
        response.Headers.CacheControl = "no-store";
        return Results.Json(reader.Read());
    }
}
