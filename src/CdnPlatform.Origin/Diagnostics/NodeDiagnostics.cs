using System.Text.Json;
using CdnPlatform.Origin.Responses;

namespace CdnPlatform.Origin.Diagnostics;

/// <summary>The node's own endpoints: who answered a request, and whether the node is up.</summary>
public sealed class NodeDiagnostics(OriginOptions options, TimeProvider timeProvider)
{
    private readonly ShopResponse _healthy = Json(new { status = "ok", node = options.Node, datacenter = options.Datacenter });

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

    public ShopResponse Health() => _healthy;

    private static ShopResponse Json<T>(T value) => new()
    {
        ContentType = "application/json; charset=utf-8",
        Body = JsonSerializer.SerializeToUtf8Bytes(value),
        CacheControl = "no-store",
    };
}
