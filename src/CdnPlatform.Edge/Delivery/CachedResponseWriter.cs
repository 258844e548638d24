using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Storage;
using CdnPlatform.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace CdnPlatform.Edge.Delivery;

/// <summary>
/// Answers a request from a stored response: the stored status, fields and body, with Age and this
/// cache's Cache-Status member computed now. Nothing is parsed or copied per hit beyond those two values.
/// </summary>
internal static class CachedResponseWriter
{
    public static Task WriteAsync(HttpContext context, CacheEntry entry, DateTimeOffset now, CacheStatus status)
    {
        var response = context.Response;
        var headers = response.Headers;
        // Replace what an origin trip may already have put there (a 304 being turned into the stored 200).
        headers.Clear();
        response.StatusCode = entry.StatusCode;
        foreach (var (name, values) in entry.Headers)
        {
            headers[name] = values;
        }
        // Age and ttl in whole seconds from the same reading, so a visitor sees Age + ttl = lifetime.
        var age = (long)entry.Age(now).TotalSeconds;
        headers.Age = DeliveryStrings.Age(age);
        if (status.Hit)
        {
            var ttl = (long)Math.Floor(entry.FreshnessLifetime.TotalSeconds) - age;
            var plain = status == CacheStatus.ForHit(TimeSpan.Zero);
            status = status with { TimeToLive = TimeSpan.FromSeconds(ttl) };
            headers.Append(HeaderRules.CacheStatus, plain ? DeliveryStrings.Hit(ttl) : status.ToString());
        }
        else
        {
            headers.Append(HeaderRules.CacheStatus, status.ToString());
        }
        if (entry.StatusCode is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified)
        {
            return Task.CompletedTask; // no body, and Kestrel refuses a Content-Length on these
        }
        response.ContentLength = entry.Body.Length;
        return HttpMethods.IsHead(context.Request.Method) || entry.Body.IsEmpty
            ? Task.CompletedTask
            : response.Body.WriteAsync(entry.Body).AsTask();
    }
}
