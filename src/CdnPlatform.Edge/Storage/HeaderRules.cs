using Microsoft.Net.Http.Headers;

namespace CdnPlatform.Edge.Storage;

/// <summary>Which response fields a stored response keeps, and which a 304 may not change (RFC 9111 §3.1, §3.2).</summary>
internal static class HeaderRules
{
    /// <summary>Hop-by-hop fields, fields the edge computes on delivery, and fields addressed to this cache only.</summary>
    public static readonly HashSet<string> NotStored = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Age, HeaderNames.ContentLength, HeaderNames.TransferEncoding, HeaderNames.Connection,
        HeaderNames.KeepAlive, HeaderNames.ProxyAuthenticate, "Proxy-Authentication-Info", HeaderNames.ProxyAuthorization,
        "Proxy-Connection", HeaderNames.TE, HeaderNames.Trailer, HeaderNames.Upgrade,
        SurrogateKey, CacheTag, SurrogateControl,
    };

    /// <summary>A 304 cannot change how the stored body is framed or which representation it is.</summary>
    public static readonly HashSet<string> NotUpdatedBy304 = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.ContentLength, HeaderNames.ContentEncoding, HeaderNames.ContentMD5, HeaderNames.ContentRange, HeaderNames.ETag,
    };

    /// <summary>Fields for this cache that visitors never see: surrogate keys and Surrogate-Control.</summary>
    public static readonly string[] EdgeOnly = [SurrogateKey, CacheTag, SurrogateControl];

    public const string SurrogateKey = "Surrogate-Key";
    public const string CacheTag = "Cache-Tag";
    public const string SurrogateControl = "Surrogate-Control";
    public const string CdnCacheControl = "CDN-Cache-Control";
    public const string CacheStatus = "Cache-Status";
}
