using System.Text.Json;
using CdnPlatform.Origin.Content;
using CdnPlatform.Origin.Responses;
using CdnPlatform.Origin.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace CdnPlatform.Origin.Diagnostics;

/// <summary>The node's own endpoints: who answered a request, and whether the node is ready to serve.</summary>
/// <param name="storage">With Redis only: whether it still answers, known without asking it now.</param>
public sealed class NodeDiagnostics(OriginOptions options, IShopContent content, IDatacenterRole role, IKeyManager keys, TimeProvider timeProvider,
    StorageWatch? storage = null)
{
    private bool _keyRingSeen;

    /// <summary>
    /// Which node and datacenter answered, and the Host it was asked for: shows what the edge and the
    /// gateway in front of it passed on.
    /// </summary>
    public ShopResponse WhoAmI(HttpRequest request) => Json(new
    {
        node = options.Node,
        datacenter = options.Datacenter,
        time = timeProvider.GetUtcNow(),
        host = request.Host.Value,
        forwardedFor = request.Headers["X-Forwarded-For"].ToString(),
    });

    /// <summary>
    /// Ready, not merely alive: the gateways send traffic only to a node whose storage answers and whose
    /// content is loaded, so a node cut off from Redis leaves rotation instead of failing every visitor.
    /// With Redis, the answer never waits on it for long: a Redis that has gone silent is said at once, and one that
    /// stalls while the check asks it is said after half of <see cref="StorageWatch.Limit"/>, well inside the
    /// gateways' probe timeout (a second), so that they hear "not ready" instead of losing the probe.
    /// </summary>
    public async Task<ShopResponse> HealthAsync(CancellationToken cancellationToken)
    {
        if (storage is null)
        {
            return await ReadinessAsync(cancellationToken);
        }
        if (storage.IsSilent)
        {
            return Unreachable($"no answer to a ping for {(long)storage.Silence.TotalMilliseconds} ms");
        }
        var budget = storage.Limit / 2;
        try
        {
            return await ReadinessAsync(cancellationToken).WaitAsync(budget, timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The check goes on without a caller and ends in its own storage failure, which it catches.
            return Unreachable($"no answer within {(long)budget.TotalMilliseconds} ms");
        }
    }

    private async Task<ShopResponse> ReadinessAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await content.IsSeededAsync(cancellationToken))
            {
                return Json(new { status = "starting", node = options.Node, datacenter = options.Datacenter, reason = "content not loaded yet" },
                    StatusCodes.Status503ServiceUnavailable);
            }
            // A DR node must not make a key of its own (its replica refuses to store one): it waits for the primary's.
            if (!_keyRingSeen && !(_keyRingSeen = keys.GetAllKeys().Count > 0))
            {
                return Json(new { status = "starting", node = options.Node, datacenter = options.Datacenter, reason = "no Data Protection key yet" },
                    StatusCodes.Status503ServiceUnavailable);
            }
            var writable = await role.IsWritableAsync(cancellationToken);
            return Json(new { status = "ok", node = options.Node, datacenter = options.Datacenter, writable });
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            return Unreachable(e.Message);
        }
    }

    private ShopResponse Unreachable(string why) =>
        Json(new { status = "unhealthy", node = options.Node, datacenter = options.Datacenter, reason = $"storage unreachable: {why}" },
            StatusCodes.Status503ServiceUnavailable);

    private static ShopResponse Json<T>(T value, int statusCode = StatusCodes.Status200OK) => new()
    {
        StatusCode = statusCode,
        ContentType = "application/json; charset=utf-8",
        Body = JsonSerializer.SerializeToUtf8Bytes(value),
        CacheControl = "no-store",
    };
}
