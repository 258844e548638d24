using CdnPlatform.Http.Headers;

namespace CdnPlatform.Caching.Reuse;

/// <summary>
/// What a request's Cache-Control asks of a shared cache (RFC 9111 §5.2.1), after site policy: a CDN may
/// choose to ignore visitors' <c>no-cache</c> (a reload button must not empty the edge).
/// </summary>
public readonly record struct RequestDirectives
{
    public bool NoCache { get; init; }
    public bool NoStore { get; init; }
    public bool OnlyIfCached { get; init; }
    public TimeSpan? MaxAge { get; init; }
    public TimeSpan? MinFresh { get; init; }
    public TimeSpan? MaxStale { get; init; }

    public static RequestDirectives From(CacheControl cacheControl, bool pragmaNoCache, bool ignoreNoCache)
    {
        // RFC 9111 §5.4: Pragma: no-cache counts only when the request has no Cache-Control.
        var noCache = cacheControl.NoCache || (pragmaNoCache && ReferenceEquals(cacheControl, CacheControl.Empty));
        return new RequestDirectives
        {
            NoCache = noCache && !ignoreNoCache,
            NoStore = cacheControl.NoStore,
            OnlyIfCached = cacheControl.OnlyIfCached,
            MaxAge = ignoreNoCache && cacheControl.MaxAge == TimeSpan.Zero ? null : cacheControl.MaxAge,
            MinFresh = cacheControl.MinFresh,
            MaxStale = cacheControl.MaxStale,
        };
    }
}
