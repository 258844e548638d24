using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Freshness;

/// <summary>How long a stored response stays fresh in a shared cache (RFC 9111 §4.2.1, §4.2.2).</summary>
public static class FreshnessLifetime
{
    /// <summary>
    /// s-maxage, else max-age, else Expires minus Date, else a heuristic lifetime; <c>null</c> when none
    /// applies. Invalid directives, an invalid Expires or several Expires lines make the response stale at
    /// once (§4.2.1, §5.3), and then no heuristic is tried: heuristics are only for responses without
    /// explicit freshness (§4.2.2).
    /// </summary>
    public static TimeSpan? ForSharedCache(FreshnessInputs inputs)
    {
        var cacheControl = inputs.CacheControl ?? CacheControl.Empty;
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
        // RFC 9213 §2.1: a cache that uses a targeted field ignores Expires as well as Cache-Control.
        if (!inputs.Targeted && inputs.Expires.Count > 0)
        {
            if (!TrySingleDate(inputs.Expires, out var expiresAt))
            {
                return TimeSpan.Zero;
            }
            var lifetime = expiresAt - DateOrResponseTime(inputs);
            return lifetime > TimeSpan.Zero ? lifetime : TimeSpan.Zero;
        }
        return inputs.DefaultLifetime ?? Heuristic(inputs, cacheControl);
    }

    /// <summary>
    /// The explicit lifetime only (no heuristic), for a response judged by Cache-Control alone. Kept for
    /// callers of the first edge; <see cref="ForSharedCache(FreshnessInputs)"/> is the full calculation.
    /// </summary>
    public static TimeSpan? ForSharedCache(CacheControl cacheControl, string? expires, string? date, DateTimeOffset responseTime) =>
        ForSharedCache(new FreshnessInputs
        {
            CacheControl = cacheControl,
            StatusCode = 200,
            Expires = expires is null ? StringValues.Empty : new StringValues(expires),
            Date = date is null ? StringValues.Empty : new StringValues(date),
            ResponseTime = responseTime,
        });

    /// <summary>
    /// Status codes a cache may give a heuristic lifetime without <c>public</c> (RFC 9110 §15.1: 200, 203,
    /// 204, 206, 300, 301, 308, 404, 405, 410, 414, 501).
    /// </summary>
    public static bool IsHeuristicallyCacheable(int status) =>
        status is 200 or 203 or 204 or 206 or 300 or 301 or 308 or 404 or 405 or 410 or 414 or 501;

    /// <summary>
    /// Status codes whose semantics this cache knows and honours, for <c>must-understand</c> (RFC 9111
    /// §5.2.2.3): the final codes RFC 9110 §15 defines, except the unused 306 and the deprecated 305.
    /// Unregistered codes such as 299 or 599 are not understood.
    /// </summary>
    public static bool IsUnderstoodStatus(int status) => status switch
    {
        >= 200 and <= 206 => true,
        >= 300 and <= 304 or 307 or 308 => true,
        >= 400 and <= 417 or 421 or 422 or 426 => true,
        >= 500 and <= 505 => true,
        _ => false,
    };

    private static TimeSpan? Heuristic(FreshnessInputs inputs, CacheControl cacheControl)
    {
        // §4.2.2 and §5.2.2.9: other statuses only with public.
        if (!IsHeuristicallyCacheable(inputs.StatusCode) && !cacheControl.Public)
        {
            return null;
        }
        if (!TrySingleDate(inputs.LastModified, out var lastModified))
        {
            return null;
        }
        var sinceModified = DateOrResponseTime(inputs) - lastModified;
        if (sinceModified <= TimeSpan.Zero || inputs.HeuristicFraction <= 0 || inputs.HeuristicCap <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }
        var lifetime = TimeSpan.FromSeconds(Math.Floor(sinceModified.TotalSeconds * Math.Min(inputs.HeuristicFraction, 1)));
        return lifetime < inputs.HeuristicCap ? lifetime : inputs.HeuristicCap;
    }

    private static DateTimeOffset DateOrResponseTime(FreshnessInputs inputs) =>
        TrySingleDate(inputs.Date, out var date) ? date : inputs.ResponseTime;

    /// <summary>Date, Expires and Last-Modified are singletons: more than one line is as good as an invalid value.</summary>
    private static bool TrySingleDate(StringValues lines, out DateTimeOffset date)
    {
        date = default;
        return lines.Count == 1 && HttpDate.TryParse(lines[0], out date);
    }
}
