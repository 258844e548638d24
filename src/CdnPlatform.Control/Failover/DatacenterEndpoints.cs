using System.Text.Json;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// <c>GET /v1/dc</c> (ops): every datacenter's health as the monitor last probed it, the verdict, the active one and
/// the last switch. <c>POST /v1/dc/switchover {"to": "dr"}</c> and <c>POST /v1/dc/failover {"to": "dr"}</c> (ops):
/// the planned switchover and the failover, answered when done.
/// </summary>
public static class DatacenterEndpoints
{
    public static void MapDatacenterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/dc", Get);
        app.MapPost("/v1/dc/switchover", (HttpContext context, ApiKeyAuthenticator auth, ControlOptions options, DatacenterSwitch switcher) =>
            SwitchAsync(context, auth, options, switcher.SwitchoverAsync));
        app.MapPost("/v1/dc/failover", (HttpContext context, ApiKeyAuthenticator auth, ControlOptions options, DatacenterSwitch switcher) =>
            SwitchAsync(context, auth, options, switcher.FailoverAsync));
    }

    private static IResult Get(HttpContext context, ApiKeyAuthenticator auth, DatacenterMonitor monitor, DatacenterSwitch switcher)
    {
        if (Refuse(context, auth, "read the datacenters", out _) is { } refused)
        {
            return refused;
        }
        return Results.Json(View(monitor, switcher), ControlJsonContext.Default.DatacenterList);
    }

    private static async Task<IResult> SwitchAsync(HttpContext context, ApiKeyAuthenticator auth, ControlOptions options,
        Func<string, bool, string, CancellationToken, Task<DatacenterSwitchReport>> switchTo)
    {
        if (Refuse(context, auth, "switch datacenters", out var who) is { } refused)
        {
            return refused;
        }
        string? to = null;
        var force = false;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (body.RootElement.ValueKind == JsonValueKind.Object)
            {
                to = body.RootElement.TryGetProperty("to", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                force = body.RootElement.TryGetProperty("force", out var f) && f.ValueKind == JsonValueKind.True;
            }
        }
        catch (JsonException)
        {
        }
        if (to is null || options.Datacenters.All(d => d.Name != to))
        {
            return Results.Json(new ApiError($"to must be one of {string.Join(", ", options.Datacenters.Select(d => $"'{d.Name}'"))}", "to"),
                ControlJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }
        try
        {
            var report = await switchTo(to, force, who!, context.RequestAborted);
            return Results.Json(report, ControlJsonContext.Default.DatacenterSwitchReport);
        }
        catch (SwitchRefusedException e)
        {
            return PurgeEndpoints.Error(e.StatusCode, e.Message);
        }
    }

    private static DatacenterList View(DatacenterMonitor monitor, DatacenterSwitch switcher)
    {
        var snapshot = monitor.Snapshot;
        var active = switcher.Active;
        return snapshot with
        {
            Active = active,
            Datacenters = [.. snapshot.Datacenters.Select(d => d with { Active = d.Name == active })],
            LastSwitch = switcher.Last,
        };
    }

    internal static IResult? Refuse(HttpContext context, ApiKeyAuthenticator auth, string what, out string? who)
    {
        context.Response.Headers.CacheControl = "no-store";
        who = null;
        if (auth.Authenticate(context.Request.Headers.Authorization) is not { } principal)
        {
            return PurgeEndpoints.Unauthorized();
        }
        if (!principal.May(ApiAction.Ops))
        {
            return PurgeEndpoints.Error(StatusCodes.Status403Forbidden, $"key '{principal.Name}' may not {what} (needs 'ops')");
        }
        who = principal.Name;
        return null;
    }
}
