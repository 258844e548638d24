using CdnPlatform.Control.Api;
using CdnPlatform.Control.Audit;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// <c>POST /v1/dc/{name}/kill</c> and <c>POST /v1/dc/{name}/start</c> (ops): SIGKILL a whole datacenter of the local
/// network and start it again, for failover drills run from outside. Each call is an audit line. Answered 404 by a
/// control plane that has no <see cref="IDatacenterPower"/>: one not started by <c>cdnctl up --redis auto</c>.
/// </summary>
public static class DatacenterPowerEndpoints
{
    public static void MapDatacenterPowerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/dc/{name}/kill", (string name, HttpContext context, ApiKeyAuthenticator auth, ControlOptions options, AuditLog audit, TimeProvider time) =>
            ChangeAsync(name, "kill", "killed", context, auth, options, audit, time, (power, ct) => power.KillAsync(name, ct)));
        app.MapPost("/v1/dc/{name}/start", (string name, HttpContext context, ApiKeyAuthenticator auth, ControlOptions options, AuditLog audit, TimeProvider time) =>
            ChangeAsync(name, "start", "running", context, auth, options, audit, time, (power, ct) => power.StartAsync(name, ct)));
    }

    private static async Task<IResult> ChangeAsync(string name, string operation, string after, HttpContext context, ApiKeyAuthenticator auth,
        ControlOptions options, AuditLog audit, TimeProvider time, Func<IDatacenterPower, CancellationToken, Task<bool>> change)
    {
        if (DatacenterEndpoints.Refuse(context, auth, $"{operation} datacenters", out var who) is { } refused)
        {
            return refused;
        }
        if (options.Datacenters.All(d => d.Name != name))
        {
            return Results.Json(new ApiError($"no datacenter '{name}': it must be one of {string.Join(", ", options.Datacenters.Select(d => $"'{d.Name}'"))}", "name"),
                ControlJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }
        if (context.RequestServices.GetService<IDatacenterPower>() is not { } power)
        {
            return PurgeEndpoints.Error(StatusCodes.Status404NotFound,
                $"only a network started by cdnctl up --redis auto can {operation} a datacenter (each of its datacenters is a process group); on real hosts, cut {name}'s power or network yourself");
        }
        var started = time.GetTimestamp();
        // Not the request's token: a kill or start half done because the caller went away would leave a datacenter half alive.
        var changed = await change(power, CancellationToken.None);
        var milliseconds = (long)time.GetElapsedTime(started).TotalMilliseconds;
        var detail = changed ? $"{name} {after} in {milliseconds} ms" : $"refused: {name} is {after} already";
        audit.Record(new FailoverAuditEntry(time.GetUtcNow(), who!, operation, operation, name, name, detail));
        return changed
            ? Results.Json(new DatacenterPowerState(name, after, milliseconds), ControlJsonContext.Default.DatacenterPowerState)
            : PurgeEndpoints.Error(StatusCodes.Status409Conflict, $"{name} is {after} already: nothing was done");
    }
}
