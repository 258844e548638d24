using CdnPlatform.Control.Api;
using CdnPlatform.Control.Audit;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// <c>POST /v1/dc/{name}/kill</c> and <c>POST /v1/dc/{name}/start</c> (ops): SIGKILL a whole datacenter of the local
/// network and start it again, for failover drills run from outside. <c>POST /v1/dc/{name}/pause</c> (with
/// <c>?only=redis</c>, its Redis alone) and <c>/resume</c>: SIGSTOP and SIGCONT it, a datacenter that stalls instead of
/// dying. Each call is an audit line. Answered 404 by a
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
        app.MapPost("/v1/dc/{name}/pause", PauseAsync);
        app.MapPost("/v1/dc/{name}/resume", (string name, HttpContext context, ApiKeyAuthenticator auth, ControlOptions options, AuditLog audit, TimeProvider time) =>
            ChangeAsync(name, "resume", "running", context, auth, options, audit, time, (power, ct) => power.ResumeAsync(name, ct), refusal: "not paused"));
    }

    private static Task<IResult> PauseAsync(string name, string? only, HttpContext context, ApiKeyAuthenticator auth, ControlOptions options, AuditLog audit,
        TimeProvider time) =>
        ChangeAsync(name, "pause", only is null ? "paused" : "paused (its Redis)", context, auth, options, audit, time,
            (power, ct) => power.PauseAsync(name, only is not null, ct), refusal: "paused already",
            badRequest: only is not (null or "redis")
                ? new ApiError($"only must be 'redis' (its Redis alone) or absent (the whole datacenter), was '{only}'", "only")
                : null);

    private static async Task<IResult> ChangeAsync(string name, string operation, string after, HttpContext context, ApiKeyAuthenticator auth,
        ControlOptions options, AuditLog audit, TimeProvider time, Func<IDatacenterPower, CancellationToken, Task<bool>> change, string? refusal = null,
        ApiError? badRequest = null)
    {
        refusal ??= $"{after} already";
        if (DatacenterEndpoints.Refuse(context, auth, $"{operation} datacenters", out var who) is { } refused)
        {
            return refused;
        }
        if (badRequest is not null)
        {
            // After the key: a caller without one learns nothing of what the call would take.
            return Results.Json(badRequest, ControlJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
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
        bool changed;
        try
        {
            changed = await change(power, CancellationToken.None);
        }
        catch (InvalidOperationException e)
        {
            // A state the call cannot apply to (a killed datacenter cannot be paused): said, nothing done.
            audit.Record(new FailoverAuditEntry(time.GetUtcNow(), who!, operation, operation, name, name, $"refused: {e.Message}"));
            return PurgeEndpoints.Error(StatusCodes.Status409Conflict, $"{e.Message}: nothing was done");
        }
        var milliseconds = (long)time.GetElapsedTime(started).TotalMilliseconds;
        var detail = changed ? $"{name} {after} in {milliseconds} ms" : $"refused: {name} is {refusal}";
        audit.Record(new FailoverAuditEntry(time.GetUtcNow(), who!, operation, operation, name, name, detail));
        return changed
            ? Results.Json(new DatacenterPowerState(name, after, milliseconds), ControlJsonContext.Default.DatacenterPowerState)
            : PurgeEndpoints.Error(StatusCodes.Status409Conflict, $"{name} is {refusal}: nothing was done");
    }
}
