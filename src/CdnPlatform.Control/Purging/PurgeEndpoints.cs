using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control.Auth;

namespace CdnPlatform.Control.Purging;

/// <summary><c>POST /v1/purge</c> and <c>GET /v1/purge/{id}</c>.</summary>
public static class PurgeEndpoints
{
    public static void MapPurgeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/purge", AcceptAsync);
        app.MapGet("/v1/purge/{id}", Status);
    }

    private static async Task<IResult> AcceptAsync(HttpContext context, ApiKeyAuthenticator auth, PurgeRequestValidator validator,
        PurgeTracker tracker, IPurgeBus bus, TimeProvider time)
    {
        if (!auth.IsAuthorized(context.Request.Headers.Authorization))
        {
            return Unauthorized();
        }
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException e)
        {
            return Results.BadRequest(new { error = $"malformed JSON body: {e.Message}", field = "$" });
        }
        PurgeValidation validation;
        using (document)
        {
            validation = PurgeRequest.Read(document.RootElement, out var request);
            if (validation.IsValid)
            {
                validation = validator.Validate(request);
            }
        }
        if (!validation.IsValid)
        {
            return Results.BadRequest(new { error = $"{validation.Field}: {validation.Error}", field = validation.Field });
        }
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now).ToString("N");
        var record = new PurgeRecord(id, validation.Site!, validation.Urls, tracker.ExpectedEdges, now);
        tracker.Track(record);
        await bus.PublishAsync(new PurgeMessage(id, record.Site, record.Urls, now), context.RequestAborted);
        return Results.Json(new { id, status = $"/v1/purge/{id}" }, statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult Status(string id, HttpContext context, ApiKeyAuthenticator auth, PurgeTracker tracker)
    {
        if (!auth.IsAuthorized(context.Request.Headers.Authorization))
        {
            return Unauthorized();
        }
        if (tracker.Find(id) is not { } record)
        {
            return Results.NotFound(new { error = $"no purge with id '{id}' (unknown, or older than the kept history)" });
        }
        var edges = record.ExpectedEdges.Select(e => new { edge = e, appliedAt = record.AppliedAt(e) }).ToList();
        var done = record.IsDone;
        TimeSpan? propagation = done ? edges.Max(e => e.appliedAt!.Value) - record.AcceptedAt : null;
        return Results.Json(new
        {
            id = record.Id,
            state = done ? "done" : "pending",
            site = record.Site,
            urls = record.Urls,
            acceptedAt = record.AcceptedAt,
            edges,
            propagationMs = propagation?.TotalMilliseconds,
        });
    }

    internal static IResult Unauthorized() => Results.Json(
        new { error = "a valid API key is required: Authorization: Bearer <key>" },
        statusCode: StatusCodes.Status401Unauthorized);
}
