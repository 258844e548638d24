namespace CdnPlatform.Edge.Configuration;

/// <summary>One site the edge serves: the Host names it answers for and the origin it fetches misses from.</summary>
public sealed record SiteOptions
{
    /// <summary>What <see cref="FailoverStatuses"/> is when unset: the gateway's own failures, as CloudFront's origin groups suggest.</summary>
    public static readonly IReadOnlyList<int> DefaultFailoverStatuses = [502, 503, 504];

    public string Name { get; init; } = "";

    /// <summary>Host names (no port) that belong to the site, e.g. <c>www.shop.test</c>.</summary>
    public List<string> Hosts { get; init; } = [];

    /// <summary>Base URL of the origin, e.g. <c>http://127.0.21.1:8080</c>: a list of one, for sites with a single origin.</summary>
    public string Origin { get; init; } = "";

    /// <summary>
    /// The origin's addresses in order of preference, e.g. the datacenter's two gateways
    /// (<c>Origins:0</c>, <c>Origins:1</c>): a fetch goes to the first that has not failed recently and moves to
    /// the next when it cannot reach it. Set this or <see cref="Origin"/>, not both.
    /// </summary>
    public List<string> Origins { get; init; } = [];

    /// <summary>
    /// The origin group's second member, e.g. the other datacenter (<c>http://standby.shop.test:8080</c>), resolved
    /// like the primary when it names a host. A fetch goes to it once every primary address failed to connect, or
    /// failed to answer a GET, HEAD or OPTIONS, or answered one with a status in <see cref="FailoverStatuses"/>.
    /// Empty (the default): no failover origin.
    /// </summary>
    public string FailoverOrigin { get; init; } = "";

    /// <summary>
    /// The primary's statuses that send a GET, HEAD or OPTIONS on to <see cref="FailoverOrigin"/>; null (unset)
    /// means 502, 503 and 504. A list, not a default list the binder would append to.
    /// </summary>
    public List<int>? FailoverStatuses { get; init; }

    /// <summary>
    /// How long a GET, HEAD or OPTIONS waits for an origin address's response headers before that attempt is given up
    /// as unanswered and the next address, or <see cref="FailoverOrigin"/>, is asked (CloudFront's origin response
    /// timeout); the address counts as failed, as one that reset would. 0 (the default): as long as
    /// <c>Edge:OriginActivityTimeoutSeconds</c> lets it, as nginx and Varnish wait by default. Other methods always
    /// wait: they cannot be sent twice. Short values move a slow origin's reads elsewhere, where they add load.
    /// </summary>
    public int OriginResponseTimeoutSeconds { get; init; }

    /// <summary>
    /// Answer the site's plain-HTTP requests with <c>308 Permanent Redirect</c> to the same URL over HTTPS, before the
    /// cache is looked at; HTTPS requests are served as always. Needs an <c>https://</c> address in the edge's urls.
    /// </summary>
    public bool RedirectToHttps { get; init; }

    /// <summary>Store responses that carry Set-Cookie. Off by default: a cookie is usually someone's session.</summary>
    public bool CacheResponsesWithSetCookie { get; init; }

    /// <summary>Query parameters that never change a response, dropped from cache keys; <c>utm_*</c> drops by prefix.</summary>
    public List<string> IgnoredQueryParameters { get; init; } = [];

    /// <summary>
    /// Freshness for storable responses that state none (no max-age, s-maxage, Expires), like nginx's
    /// proxy_cache_valid or CloudFront's default TTL. 0 (the default) leaves them to RFC 9111's rules.
    /// </summary>
    public int DefaultTtlSeconds { get; init; }

    /// <summary>Sort the remaining query parameters so their order does not split the cache.</summary>
    public bool SortQueryParameters { get; init; }

    /// <summary>Ignore visitors' <c>Cache-Control: no-cache</c> / <c>max-age=0</c> (a reload must not reach the origin). Off by default.</summary>
    public bool IgnoreClientNoCache { get; init; }

    /// <summary>stale-while-revalidate for responses that do not set it themselves, in seconds.</summary>
    public int StaleWhileRevalidateSeconds { get; init; }

    /// <summary>stale-if-error for responses that do not set it themselves, in seconds.</summary>
    public int StaleIfErrorSeconds { get; init; }

    /// <summary>
    /// How stale a stored response may be and still be served when the origin cannot be reached at all
    /// (refused, reset, timed out), unless the response says must-revalidate. Bridges short outages.
    /// </summary>
    public int StaleWhenOriginDownSeconds { get; init; } = 3600;

    /// <summary>How long a URL whose response could not be shared skips request coalescing (hit-for-pass).</summary>
    public int HitForPassSeconds { get; init; } = 10;

    /// <summary>More ranges than this in one Range header and the full response is sent instead (a cheap defence against range floods).</summary>
    public int MaxRanges { get; init; } = 16;
}
