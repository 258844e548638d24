using System.Collections.Frozen;
using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Edge.Configuration;

/// <summary>
/// A configured site in the form the request path reads it: seconds already spans, the query policy built,
/// all once at start-up instead of on every request.
/// </summary>
internal sealed class Site
{
    public Site(SiteOptions options)
    {
        Options = options;
        Origins = options.Origins.Count > 0 ? [.. options.Origins] : [options.Origin];
        FailoverOrigin = options.FailoverOrigin.Length > 0 ? options.FailoverOrigin : null;
        FailoverStatuses = (options.FailoverStatuses ?? SiteOptions.DefaultFailoverStatuses).ToFrozenSet();
        Query = new QueryPolicy(options.IgnoredQueryParameters, options.SortQueryParameters);
        DefaultTtl = options.DefaultTtlSeconds > 0 ? TimeSpan.FromSeconds(options.DefaultTtlSeconds) : null;
        StaleWhileRevalidate = TimeSpan.FromSeconds(options.StaleWhileRevalidateSeconds);
        StaleIfError = TimeSpan.FromSeconds(options.StaleIfErrorSeconds);
        StaleWhenOriginDown = TimeSpan.FromSeconds(options.StaleWhenOriginDownSeconds);
        HitForPass = TimeSpan.FromSeconds(options.HitForPassSeconds);
        OriginResponseTimeout = options.OriginResponseTimeoutSeconds > 0 ? TimeSpan.FromSeconds(options.OriginResponseTimeoutSeconds) : null;
    }

    public SiteOptions Options { get; }

    /// <summary>The site's place in <c>Edge:Sites</c>: where its counters are (<see cref="Observability.EdgeTraffic"/>).</summary>
    public int Index { get; init; }

    public string Name => Options.Name;

    public IReadOnlyList<string> Hosts => Options.Hosts;

    /// <summary>The origin's addresses in order of preference; one when the site set <see cref="SiteOptions.Origin"/>.</summary>
    public IReadOnlyList<string> Origins { get; }

    /// <summary>The origin group's failover member, tried after every one of <see cref="Origins"/>; null when the site has none.</summary>
    public string? FailoverOrigin { get; }

    /// <summary>The statuses of a primary's answer to a repeatable request that send it on to <see cref="FailoverOrigin"/>.</summary>
    public FrozenSet<int> FailoverStatuses { get; }

    /// <summary>How long a repeatable request's attempt waits for response headers before the next address is asked; null: no such limit.</summary>
    public TimeSpan? OriginResponseTimeout { get; }

    public QueryPolicy Query { get; }

    /// <summary>The site's default freshness for responses that state none; null leaves them to RFC 9111.</summary>
    public TimeSpan? DefaultTtl { get; }

    public TimeSpan StaleWhileRevalidate { get; }

    public TimeSpan StaleIfError { get; }

    public TimeSpan StaleWhenOriginDown { get; }

    public TimeSpan HitForPass { get; }

    public bool CacheResponsesWithSetCookie => Options.CacheResponsesWithSetCookie;

    public bool IgnoreClientNoCache => Options.IgnoreClientNoCache;

    public int MaxRanges => Options.MaxRanges;
}
