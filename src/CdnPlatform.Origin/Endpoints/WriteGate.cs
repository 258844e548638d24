using CdnPlatform.Origin.Responses;
using CdnPlatform.Origin.Storage;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Endpoints;

/// <summary>
/// Refuses writes (publish, login, logout, cart) on a read-only datacenter with 503 before anything is read
/// or written, so a DR node never half-applies one; the answer says why and when to try again.
/// </summary>
public sealed class WriteGate(IDatacenterRole role, PrivateResults results) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        bool writable;
        try
        {
            writable = await role.IsWritableAsync(http.RequestAborted);
        }
        catch (RedisException)
        {
            return Unavailable(http, "the datacenter's storage is unreachable");
        }

        return writable ? await next(context) : Unavailable(http, "read-only datacenter: this datacenter is a replica until it is promoted");
    }

    private ShopResponse Unavailable(HttpContext http, string reason)
    {
        http.Response.Headers.RetryAfter = "5";
        return results.Error(http.Request, StatusCodes.Status503ServiceUnavailable, reason);
    }
}
