using System.Text;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Storage;

/// <summary>
/// Turns "the datacenter's Redis did not answer" into 503 with <c>Retry-After</c> instead of a bare 500: the
/// edges then serve what they hold (<c>stale-if-error</c>), the gateways' health checks take the node out
/// (its <c>/healthz</c> says why), and a CMS caller knows to try again. Nothing was changed by the request
/// when this happens before its first write, and a publish that failed after it answers the same way.
/// </summary>
public static class StorageUnavailable
{
    public static IApplicationBuilder UseStorageUnavailable(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (IsStorageFailure(e) && !context.Response.HasStarted)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(nameof(StorageUnavailable))
                .LogWarning("{Method} {Path}: the datacenter's storage did not answer: {Reason}", context.Request.Method, context.Request.Path, e.Message);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.RetryAfter = "5";
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("{\"error\":\"the datacenter's storage is unreachable; try again shortly\",\"field\":null}"));
        }
    });

    // Data Protection wraps the key ring's Redis failure in a CryptographicException, so the whole chain is looked at.
    private static bool IsStorageFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is RedisException or TimeoutException)
            {
                return true;
            }
        }
        return false;
    }
}
