using System.Text.Json;
using CdnPlatform.Origin.Content;
using CdnPlatform.Origin.Responses;
using CdnPlatform.Origin.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace CdnPlatform.Origin.Diagnostics;

/// <summary>The node's own endpoints: who answered a request, and whether the node is ready to serve.</summary>
public sealed class NodeDiagnostics(OriginOptions options, IShopContent content, IDatacenterRole role, IKeyManager keys, TimeProvider timeProvider)
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
    /// </summary>
    public async Task<ShopResponse> HealthAsync(CancellationToken cancellationToken)
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
            return Json(new { status = "unhealthy", node = options.Node, datacenter = options.Datacenter, reason = $"storage unreachable: {e.Message}" },
                StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static ShopResponse Json<T>(T value, int statusCode = StatusCodes.Status200OK) => new()
    {
        StatusCode = statusCode,
        ContentType = "application/json; charset=utf-8",
        Body = JsonSerializer.SerializeToUtf8Bytes(value),
        CacheControl = "no-store",
    };
}
