namespace CdnPlatform.Edge.Configuration;

/// <summary>One site the edge serves: the Host names it answers for and the origin it fetches misses from.</summary>
public sealed record SiteOptions
{
    public string Name { get; init; } = "";

    /// <summary>Host names (no port) that belong to the site, e.g. <c>www.shop.test</c>.</summary>
    public List<string> Hosts { get; init; } = [];

    /// <summary>Base URL of the origin, e.g. <c>http://127.0.21.1:8080</c>.</summary>
    public string Origin { get; init; } = "";

    /// <summary>Store responses that carry Set-Cookie. Off by default: a cookie is usually someone's session.</summary>
    public bool CacheResponsesWithSetCookie { get; init; }
}
