using System.Text.Json;
using CdnPlatform.OriginGateway.Health;
using CdnPlatform.OriginGateway.Proxy;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;

namespace CdnPlatform.OriginGateway.Drain;

/// <summary>
/// <c>PUT /gateway/drains</c> with <c>{"nodes": ["primary-1"]}</c>: the whole set of drained nodes, replacing
/// the one before; the answer is <c>/gateway/status</c>. The whole set rather than one node at a time, so that
/// the control plane's periodic re-assertion also undoes a drain a gateway kept because it missed the undrain.
/// </summary>
public static class DrainEndpoints
{
    public static IEndpointRouteBuilder MapDrainEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut("/gateway/drains", ReplaceAsync);
        return endpoints;
    }

    private static async Task<IResult> ReplaceAsync(HttpContext context, AdminKeyCheck adminKey, OriginGatewayOptions options,
        DrainedNodes drained, IProxyStateLookup proxyState, IClusterDestinationsUpdater destinations, GatewayStatusReader status)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!adminKey.Enabled)
        {
            return Error(StatusCodes.Status403Forbidden, "drains are turned off on this gateway: Gateway:AdminKey is not set");
        }
        if (!adminKey.Accepts(context.Request.Headers.Authorization))
        {
            return Error(StatusCodes.Status401Unauthorized, "Authorization: Bearer <Gateway:AdminKey> is required");
        }

        List<string> nodes;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (Read(body.RootElement, options, out nodes) is { } invalid)
            {
                return Error(StatusCodes.Status400BadRequest, invalid);
            }
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, $"malformed JSON body: {e.Message}");
        }

        if (drained.Replace(nodes) && proxyState.TryGetCluster(NodeCluster.ClusterId, out var cluster))
        {
            // The available set is rebuilt on health changes only: rebuild it now, so the next request already sees the drain.
            destinations.UpdateAvailableDestinations(cluster);
        }
        return Results.Json(status.Read());
    }

    /// <summary>The node names of <c>{"nodes": [...]}</c>, or what is wrong with the body.</summary>
    private static string? Read(JsonElement body, OriginGatewayOptions options, out List<string> nodes)
    {
        nodes = [];
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("nodes", out var names) || names.ValueKind != JsonValueKind.Array)
        {
            return "the body must be {\"nodes\": [\"<node name>\", ...]}";
        }
        var index = 0;
        foreach (var name in names.EnumerateArray())
        {
            var node = name.ValueKind == JsonValueKind.String ? name.GetString() : null;
            if (options.Nodes.FirstOrDefault(n => string.Equals(n.Name, node, StringComparison.OrdinalIgnoreCase)) is not { } known)
            {
                return $"nodes[{index}]: {(node is null ? "not a string" : $"'{node}'")} is not a node of this gateway ({string.Join(", ", options.Nodes.Select(n => n.Name))})";
            }
            nodes.Add(known.Name);
            index++;
        }
        return null;
    }

    private static IResult Error(int statusCode, string error) => Results.Json(new { error }, statusCode: statusCode);
}
