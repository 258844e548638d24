using System.Text.Json;
using CdnPlatform.OriginGateway.Drain;

namespace CdnPlatform.OriginGateway.Writes;

/// <summary>
/// <c>GET /gateway/writes</c>: the write mode and the writes held and in flight. <c>PUT /gateway/writes</c> with
/// <c>{"mode": "hold"}</c>, <c>{"mode": "open"}</c> or <c>{"mode": "forward", "forwardTo": ["http://127.0.22.1:8080"]}</c>
/// (admin key): what a switchover sets, step by step.
/// </summary>
public static class WriteEndpoints
{
    public static IEndpointRouteBuilder MapWriteEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/gateway/writes", (HttpContext context, WriteControl control) => State(context, control));
        endpoints.MapPut("/gateway/writes", SetAsync);
        return endpoints;
    }

    private static async Task<IResult> SetAsync(HttpContext context, AdminKeyCheck adminKey, WriteControl control)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!adminKey.Enabled)
        {
            return Error(StatusCodes.Status403Forbidden, "write control is turned off on this gateway: Gateway:AdminKey is not set");
        }
        if (!adminKey.Accepts(context.Request.Headers.Authorization))
        {
            return Error(StatusCodes.Status401Unauthorized, "Authorization: Bearer <Gateway:AdminKey> is required");
        }
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (Read(body.RootElement, out var mode, out var forwardTo) is { } invalid)
            {
                return Error(StatusCodes.Status400BadRequest, invalid);
            }
            control.Set(mode, forwardTo);
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, $"malformed JSON body: {e.Message}");
        }
        return State(context, control);
    }

    private static string? Read(JsonElement body, out WriteMode mode, out List<Uri> forwardTo)
    {
        mode = WriteMode.Open;
        forwardTo = [];
        WriteMode? named = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("mode", out var modeValue) && modeValue.ValueKind == JsonValueKind.String
            ? modeValue.GetString() switch { "open" => WriteMode.Open, "hold" => WriteMode.Hold, "forward" => WriteMode.Forward, _ => null }
            : null;
        if (named is not { } given)
        {
            return "mode must be \"open\", \"hold\" or \"forward\"";
        }
        mode = given;
        var hasTargets = body.TryGetProperty("forwardTo", out var targets) && targets.ValueKind == JsonValueKind.Array;
        if (mode != WriteMode.Forward)
        {
            return hasTargets && targets.GetArrayLength() > 0 ? "forwardTo goes with mode \"forward\" only" : null;
        }
        if (!hasTargets || targets.GetArrayLength() == 0)
        {
            return "mode \"forward\" needs forwardTo: the other datacenter's gateway URLs";
        }
        var index = 0;
        foreach (var target in targets.EnumerateArray())
        {
            if (target.ValueKind != JsonValueKind.String || !Uri.TryCreate(target.GetString(), UriKind.Absolute, out var url)
                || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                return $"forwardTo[{index}] is not an absolute http:// or https:// URL";
            }
            forwardTo.Add(url);
            index++;
        }
        return null;
    }

    private static IResult State(HttpContext context, WriteControl control)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new
        {
            mode = control.Mode.ToString().ToLowerInvariant(),
            forwardTo = control.ForwardTo.Select(u => u.ToString()),
            held = control.Held,
            inFlight = control.InFlight,
        });
    }

    private static IResult Error(int statusCode, string error) => Results.Json(new { error }, statusCode: statusCode);
}
