using System.Globalization;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Audit;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.CloudFront;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Purging;

/// <summary><c>POST /v1/purge</c> and <c>GET /v1/purge/{id}</c>.</summary>
public static class PurgeEndpoints
{
    public static void MapPurgeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/purge", AcceptAsync);
        app.MapGet("/v1/purge/{id}", StatusAsync);
    }

    private static async Task<IResult> AcceptAsync(HttpContext context, ApiKeyAuthenticator auth, PurgeRateLimiter limiter,
        PurgeRequestValidator validator, PurgeTracker tracker, IPurgeBus bus, AuditLog audit, CloudFrontPurger cloudFront, TimeProvider time,
        Observability.PurgeMetrics metrics)
    {
        var now = time.GetUtcNow();
        var started = time.GetTimestamp();
        if (auth.Authenticate(context.Request.Headers.Authorization) is not { } principal)
        {
            return Unauthorized();
        }
        // Every answer but 401 is audited, and counted by its outcome alike.
        void Audit(string outcome, PurgeRequest? request, string? reason, string? id = null, long? sequence = null)
        {
            metrics.Requested(outcome);
            audit.Record(new PurgeAuditEntry(now, principal.Name, outcome, request?.Site, id, sequence, request?.Urls?.Count ?? 0,
                request?.Prefixes?.Count ?? 0, request?.Tags?.Count ?? 0, request?.All ?? false, request?.Soft ?? false, reason));
        }

        if (limiter.TryAcquire(principal.Name) is { } retryAfter)
        {
            Audit("rate-limited", null, null);
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Error(StatusCodes.Status429TooManyRequests, $"too many purge requests for key '{principal.Name}'; retry after the Retry-After delay");
        }
        PurgeValidation validation;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            validation = PurgeRequest.Read(document.RootElement, out var request);
            if (validation.IsValid)
            {
                validation = validator.Validate(request);
            }
        }
        catch (JsonException e)
        {
            validation = PurgeValidation.Fail("$", $"malformed JSON body: {e.Message}");
        }
        if (!validation.IsValid)
        {
            Audit("rejected", validation.Request, $"{validation.Field}: {validation.Error}");
            return Results.Json(new ApiError(validation.Field == "$" ? validation.Error! : $"{validation.Field}: {validation.Error}", validation.Field),
                ControlJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }
        var accepted = validation.Request!;
        if (!principal.May(ApiAction.Purge, accepted.Site))
        {
            Audit("forbidden", accepted, "key not allowed to purge this site");
            return Error(StatusCodes.Status403Forbidden, $"key '{principal.Name}' may not purge site '{accepted.Site}'");
        }

        var id = Guid.CreateVersion7(now).ToString("N");
        var record = new PurgeRecord(id, accepted, principal.Name, tracker.ExpectedEdges, now, started);
        tracker.Track(record);
        try
        {
            // 202 only once the purge is in the durable log: from here on no edge can miss it.
            var appended = await bus.PublishAsync(new PurgeMessage(id, accepted.Site!, accepted.Urls ?? [], now)
            {
                Prefixes = accepted.Prefixes ?? [],
                Tags = accepted.Tags ?? [],
                All = accepted.All,
                Soft = accepted.Soft,
            }, context.RequestAborted);
            record.Sequence = appended.Sequence;
        }
        catch (PurgeLogUnavailableException e)
        {
            tracker.Forget(id);
            Audit("unavailable", accepted, e.Message);
            context.Response.Headers.RetryAfter = "1";
            return Error(StatusCodes.Status503ServiceUnavailable, "the purge log is unavailable; nothing was accepted, retry");
        }
        cloudFront.Start(record);
        Audit("accepted", accepted, null, id, record.Sequence);
        return Results.Json(new PurgeAccepted(id, $"/v1/purge/{id}", record.Sequence), ControlJsonContext.Default.PurgeAccepted,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The longest a status request may wait for a purge to be done (<c>?wait=</c>, seconds).</summary>
    public const double MaxWaitSeconds = 30;

    private static async Task<IResult> StatusAsync(string id, HttpContext context, ApiKeyAuthenticator auth, PurgeTracker tracker,
        IPurgeBus bus, ControlOptions options, CloudFrontPurger cloudFront, TimeProvider time, double? wait)
    {
        if (auth.Authenticate(context.Request.Headers.Authorization) is not { } principal)
        {
            return Unauthorized();
        }
        if (tracker.Find(id) is not { } record)
        {
            return Error(StatusCodes.Status404NotFound, $"no purge with id '{id}' (unknown, or older than the kept history)");
        }
        if (!principal.May(ApiAction.Purge, record.Site) && !principal.May(ApiAction.Ops, record.Site))
        {
            return Error(StatusCodes.Status403Forbidden, $"key '{principal.Name}' may not read purges of site '{record.Site}'");
        }
        if (wait is > 0 && !record.IsDone)
        {
            // Long poll: answer as soon as the last edge acknowledges, or when the wait is over.
            try
            {
                await record.Done.WaitAsync(TimeSpan.FromSeconds(Math.Min(wait.Value, MaxWaitSeconds)), time, context.RequestAborted);
            }
            catch (TimeoutException)
            {
            }
        }
        var marks = await AppliedMarksAsync([record], bus, time, context.RequestAborted);
        var cloudFrontTargets = await cloudFront.StatusAsync(record, context.RequestAborted);
        var cloudFrontStatus = cloudFrontTargets.Count == 0 ? null : new CloudFrontStatus(
            [.. cloudFrontTargets.Select(t => t.ToStatus())],
            [.. record.CloudFrontUnsupported.Select(u => new CloudFrontUnsupportedStatus(u.Kind, u.Item, u.Reason))]);
        return Results.Json(Describe(record, marks, options, time, cloudFrontStatus), ControlJsonContext.Default.PurgeStatusResponse);
    }

    /// <summary>
    /// The edges' durable applied marks when one of <paramref name="records"/> needs them, else none. Acknowledgements
    /// normally arrive within milliseconds; the marks are read only for a purge that is not done after a while (an
    /// acknowledgement lost while Redis or the control plane was away).
    /// </summary>
    internal static async Task<IReadOnlyDictionary<string, long>> AppliedMarksAsync(IEnumerable<PurgeRecord> records, IPurgeBus bus, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (records.All(r => r.IsDone || now - r.AcceptedAt < TimeSpan.FromSeconds(1)))
        {
            return new Dictionary<string, long>();
        }
        try
        {
            return await bus.LoadAllAppliedAsync(cancellationToken);
        }
        catch (PurgeLogUnavailableException)
        {
            return new Dictionary<string, long>();
        }
    }

    /// <summary>A purge's status as <c>GET /v1/purge/{id}</c> and <c>GET /v1/purges</c> give it: each edge, and the state they make.</summary>
    internal static PurgeStatusResponse Describe(PurgeRecord record, IReadOnlyDictionary<string, long> marks, ControlOptions options, TimeProvider time,
        CloudFrontStatus? cloudFront)
    {
        var edges = record.ExpectedEdges
            .Select(e => new EdgeApplication(e, record.IsAppliedBy(e, marks), record.AppliedAt(e)))
            .ToList();
        var done = edges.All(e => e.Applied);
        var state = done ? "done" : time.GetUtcNow() - record.AcceptedAt > TimeSpan.FromSeconds(options.PurgeAckTimeoutSeconds) ? "partial" : "pending";
        // Null when done only by the edges' durable marks: an acknowledgement was lost, so its time is unknown.
        var propagation = done ? record.Propagation : null;
        var request = record.Request;
        return new PurgeStatusResponse(record.Id, state, record.Site, record.Sequence, request.Urls ?? [], request.Prefixes ?? [],
            request.Tags ?? [], request.All, request.Soft, record.AcceptedAt, edges, propagation?.TotalMilliseconds, cloudFront);
    }

    internal static IResult Unauthorized() =>
        Error(StatusCodes.Status401Unauthorized, "a valid API key is required: Authorization: Bearer <key>");

    internal static IResult Error(int statusCode, string error) =>
        Results.Json(new ApiError(error), ControlJsonContext.Default.ApiError, statusCode: statusCode);
}
