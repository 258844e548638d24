using CdnPlatform.Http.Headers;

namespace CdnPlatform.Http.Freshness;

/// <summary>How long a stored response stays fresh in a shared cache (RFC 9111 §4.2.1).</summary>
public static class FreshnessLifetime
{
    /// <summary>
    /// s-maxage, else max-age, else Expires minus Date. <c>null</c> when the response gives no explicit
    /// lifetime (heuristic freshness is a separate decision). Conflicting directives or an invalid
    /// Expires make the response stale at once (§4.2.1, §5.3).
    /// </summary>
    public static TimeSpan? ForSharedCache(CacheControl cacheControl, string? expires, string? date, DateTimeOffset responseTime)
    {
        if (cacheControl.HasConflicts)
        {
            return TimeSpan.Zero;
        }
        if (cacheControl.SharedMaxAge is { } sMaxAge)
        {
            return sMaxAge;
        }
        if (cacheControl.MaxAge is { } maxAge)
        {
            return maxAge;
        }
        if (expires is not null)
        {
            if (!HttpDate.TryParse(expires, out var expiresAt))
            {
                return TimeSpan.Zero;
            }
            var dateValue = HttpDate.TryParse(date, out var d) ? d : responseTime;
            var lifetime = expiresAt - dateValue;
            return lifetime > TimeSpan.Zero ? lifetime : TimeSpan.Zero;
        }
        return null;
    }
}
