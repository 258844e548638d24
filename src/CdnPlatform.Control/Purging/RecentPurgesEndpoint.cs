using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Purging;

/// <summary>
/// <c>GET /v1/purges?recent=N</c> (purge or ops): the newest purges of the sites the key may purge or operate, with
/// each edge's acknowledgement — what a dashboard shows without knowing the ids. From <see cref="PurgeTracker"/>'s
/// memory, so a restarted control plane lists the purges accepted since.
/// </summary>
public static class RecentPurgesEndpoint
{
    public const int DefaultRecent = 20;
    public const int MaxRecent = 500;

    public static void MapRecentPurgesEndpoint(this IEndpointRouteBuilder app) => app.MapGet("/v1/purges", GetAsync);

    private static async Task<IResult> GetAsync(HttpContext context, ApiKeyAuthenticator auth, PurgeTracker tracker, IPurgeBus bus,
        ControlOptions options, TimeProvider time, string? recent)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (auth.Authenticate(context.Request.Headers.Authorization) is not { } principal)
        {
            return PurgeEndpoints.Unauthorized();
        }
        if (!principal.May(ApiAction.Purge) && !principal.May(ApiAction.Ops))
        {
            return PurgeEndpoints.Error(StatusCodes.Status403Forbidden, $"key '{principal.Name}' may not read purges (needs 'purge' or 'ops')");
        }
        if (RecentParameter.Read(recent, DefaultRecent, MaxRecent, out var count) is { } badCount)
        {
            return badCount;
        }
        // A key scoped to some sites sees their purges only, as GET /v1/purge/{id} would let it.
        var records = tracker.Newest(count, r => principal.May(ApiAction.Purge, r.Site) || principal.May(ApiAction.Ops, r.Site));
        var marks = await PurgeEndpoints.AppliedMarksAsync(records, bus, time, context.RequestAborted);
        return Results.Json(new PurgeList(tracker.ExpectedEdges, tracker.Count, [.. records.Select(r => PurgeEndpoints.Describe(r, marks, options, time, null))]),
            ControlJsonContext.Default.PurgeList);
    }
}
