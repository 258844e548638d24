using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Reuse;

/// <summary>Decides whether a stored response can answer a request without asking the origin (RFC 9111 §4.2, §4.2.4, RFC 5861).</summary>
public static class ReusePolicy
{
    public static ReuseDecision Decide(CacheEntry entry, RequestDirectives request, DateTimeOffset now, TimeSpan siteStaleWhileRevalidate)
    {
        if (entry.RequiresRevalidation || request.NoCache)
        {
            return ReuseDecision.Validate;
        }
        var age = entry.Age(now);
        var ttl = entry.TimeToLive(now);
        if (request.MaxAge is { } maxAge && age > maxAge)
        {
            return ReuseDecision.Validate;
        }
        if (entry.IsFresh(now))
        {
            return request.MinFresh is { } minFresh && ttl < minFresh ? ReuseDecision.Validate : ReuseDecision.Fresh;
        }
        if (entry.ForbidsStale)
        {
            return ReuseDecision.Validate;
        }
        var staleness = entry.Staleness(now);
        if (request.MaxStale is { } maxStale && staleness <= maxStale)
        {
            return ReuseDecision.StaleAccepted;
        }
        var window = entry.StaleWhileRevalidate > siteStaleWhileRevalidate ? entry.StaleWhileRevalidate : siteStaleWhileRevalidate;
        return staleness < window && request.MaxAge is null ? ReuseDecision.StaleWhileRevalidate : ReuseDecision.Validate;
    }

    /// <summary>
    /// Whether a stale entry may stand in when the origin cannot be reached at all: RFC 9111 §4.2.4 lets a
    /// disconnected cache serve stale unless the response forbids it; the site bounds how stale.
    /// </summary>
    public static bool MayServeWhenDisconnected(CacheEntry entry, DateTimeOffset now, TimeSpan siteStaleIfError, TimeSpan siteMaxStaleWhenDown)
    {
        if (MayServeOnError(entry, now, siteStaleIfError))
        {
            return true;
        }
        return !entry.ForbidsStale && !entry.RequiresRevalidation && entry.Staleness(now) <= siteMaxStaleWhenDown;
    }

    /// <summary>Whether a stale entry may stand in for an origin error response (RFC 5861 stale-if-error).</summary>
    public static bool MayServeOnError(CacheEntry entry, DateTimeOffset now, TimeSpan siteStaleIfError)
    {
        if (entry.ForbidsStale || entry.RequiresRevalidation)
        {
            return false;
        }
        var window = entry.StaleIfError > siteStaleIfError ? entry.StaleIfError : siteStaleIfError;
        return entry.IsFresh(now) || entry.Staleness(now) <= window;
    }
}
