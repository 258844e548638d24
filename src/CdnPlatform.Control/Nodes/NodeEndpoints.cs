using System.Globalization;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;

namespace CdnPlatform.Control.Nodes;

/// <summary>
/// <c>/v1/nodes</c>: drain an origin node out of its gateways' rotation, see when it is idle, restart it (when
/// this host can), put it back. Every call needs a key with the <c>ops</c> action.
/// </summary>
public static class NodeEndpoints
{
    /// <summary>The longest a call may wait for a node to settle (<c>?wait=</c>, seconds), as for a purge's status.</summary>
    public const double MaxWaitSeconds = PurgeEndpoints.MaxWaitSeconds;

    public static void MapNodeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/nodes", ListAsync);
        app.MapGet("/v1/nodes/{datacenter}/{node}", GetAsync);
        app.MapPost("/v1/nodes/{datacenter}/{node}/drain", DrainAsync);
        app.MapPost("/v1/nodes/{datacenter}/{node}/undrain", UndrainAsync);
        app.MapPost("/v1/nodes/{datacenter}/{node}/restart", RestartAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, ApiKeyAuthenticator auth, NodeRotation rotation, string? wait)
    {
        if (Refuse(context, auth) is { } refusal)
        {
            return refusal;
        }
        if (ReadWait(wait, out var patience) is { } badWait)
        {
            return badWait;
        }
        var nodes = await rotation.WaitAsync(rotation.ObserveAllAsync, all => all.All(n => n.State != DrainState.Draining), patience, context.RequestAborted);
        return Results.Json(new NodeList(nodes), ControlJsonContext.Default.NodeList);
    }

    private static async Task<IResult> GetAsync(string datacenter, string node, HttpContext context, ApiKeyAuthenticator auth, NodeRotation rotation, string? wait)
    {
        if (Resolve(context, auth, rotation, datacenter, node, wait, out var target, out var patience) is { } refusal)
        {
            return refusal;
        }
        return Answer(await rotation.WaitAsync(ct => rotation.ObserveAsync(target, node, ct), Settled, patience, context.RequestAborted));
    }

    private static async Task<IResult> DrainAsync(string datacenter, string node, HttpContext context, ApiKeyAuthenticator auth, NodeRotation rotation, string? wait)
    {
        if (Resolve(context, auth, rotation, datacenter, node, wait, out var target, out var patience) is { } refusal)
        {
            return refusal;
        }
        var drained = await rotation.DrainAsync(target, node, context.RequestAborted);
        return Answer(Settled(drained) ? drained
            : await rotation.WaitAsync(ct => rotation.ObserveAsync(target, node, ct), Settled, patience, context.RequestAborted));
    }

    private static async Task<IResult> UndrainAsync(string datacenter, string node, HttpContext context, ApiKeyAuthenticator auth, NodeRotation rotation)
    {
        if (Resolve(context, auth, rotation, datacenter, node, null, out var target, out _) is { } refusal)
        {
            return refusal;
        }
        return Answer(await rotation.UndrainAsync(target, node, context.RequestAborted));
    }

    private static async Task<IResult> RestartAsync(string datacenter, string node, HttpContext context, ApiKeyAuthenticator auth, NodeRotation rotation)
    {
        if (Resolve(context, auth, rotation, datacenter, node, null, out var target, out _) is { } refusal)
        {
            return refusal;
        }
        if (context.RequestServices.GetService<INodeRestarter>() is not { } restarter)
        {
            return PurgeEndpoints.Error(StatusCodes.Status501NotImplemented,
                $"this control plane cannot restart nodes; restart {node} on its host, or let cdnctl deploy do it with --restart-command (e.g. \"docker compose restart {{dc}}-node-{{index}}\")");
        }
        var before = await rotation.ObserveAsync(target, node, context.RequestAborted);
        if (before.State != DrainState.Idle)
        {
            return PurgeEndpoints.Error(StatusCodes.Status409Conflict, before.State == DrainState.Active
                ? $"{node} is not drained: drain it first (POST /v1/nodes/{datacenter}/{node}/drain?wait=30)"
                : $"{node} is still draining ({before.InFlight} requests in flight, or a gateway has not confirmed): wait until it is idle");
        }
        try
        {
            await restarter.RestartAsync(datacenter, node, context.RequestAborted);
        }
        catch (NodeRestartException e)
        {
            return PurgeEndpoints.Error(StatusCodes.Status502BadGateway, $"restarting {node} failed: {e.Message}; it stays drained");
        }
        return Answer(await rotation.ObserveAsync(target, node, context.RequestAborted));
    }

    // Only draining is worth waiting through: active and idle change only when ops act.
    private static bool Settled(NodeView node) => node.State != DrainState.Draining;

    private static IResult Answer(NodeView node) => Results.Json(node, ControlJsonContext.Default.NodeView);

    private static IResult? Resolve(HttpContext context, ApiKeyAuthenticator auth, NodeRotation rotation, string datacenter, string node, string? wait,
        out ControlDatacenterOptions target, out TimeSpan patience)
    {
        target = null!;
        patience = TimeSpan.Zero;
        if (Refuse(context, auth) is { } refusal)
        {
            return refusal;
        }
        if (rotation.Datacenter(datacenter) is not { } found)
        {
            return PurgeEndpoints.Error(StatusCodes.Status404NotFound, rotation.Datacenters.Count == 0
                ? $"no datacenter '{datacenter}': none is configured (Control:Datacenters)"
                : $"no datacenter '{datacenter}' (known: {string.Join(", ", rotation.Datacenters.Select(d => d.Name))})");
        }
        if (!found.Nodes.Contains(node, StringComparer.Ordinal))
        {
            return PurgeEndpoints.Error(StatusCodes.Status404NotFound, $"datacenter '{datacenter}' has no node '{node}' (its nodes: {string.Join(", ", found.Nodes)})");
        }
        target = found;
        return ReadWait(wait, out patience);
    }

    private static IResult? Refuse(HttpContext context, ApiKeyAuthenticator auth)
    {
        if (auth.Authenticate(context.Request.Headers.Authorization) is not { } principal)
        {
            return PurgeEndpoints.Unauthorized();
        }
        return principal.May(ApiAction.Ops) ? null
            : PurgeEndpoints.Error(StatusCodes.Status403Forbidden, $"key '{principal.Name}' may not operate nodes (needs 'ops')");
    }

    private static IResult? ReadWait(string? wait, out TimeSpan patience)
    {
        patience = TimeSpan.Zero;
        if (wait is null)
        {
            return null;
        }
        if (!double.TryParse(wait, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0 or > MaxWaitSeconds || double.IsNaN(seconds))
        {
            return Results.Json(new ApiError($"wait: '{wait}' is not a number of seconds from 0 to {MaxWaitSeconds}", "wait"),
                ControlJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }
        patience = TimeSpan.FromSeconds(seconds);
        return null;
    }
}
