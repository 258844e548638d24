using CdnPlatform.Http;
namespace CdnPlatform.Caching.Keys;

/// <summary>
/// The primary cache key of RFC 9111 §2: the target URI, normalized so that equivalent requests share
/// one entry — scheme and host lowercase, default port dropped. Path and query are kept byte for byte;
/// query normalization (dropping <c>utm_*</c>, sorting) is per-site policy and comes from the caller.
/// </summary>
public readonly record struct CacheKey
{
    private CacheKey(string value) => Value = value;

    public string Value { get; }

    public static CacheKey Create(string scheme, string host, string pathAndQuery)
    {
        var normalizedScheme = scheme.ToLowerInvariant();
        var normalizedHost = StripDefaultPort(host.ToLowerInvariant(), normalizedScheme);
        var path = pathAndQuery.Length == 0 ? "/" : pathAndQuery;
        return new CacheKey(string.Concat(normalizedScheme, "://", normalizedHost, path));
    }

    /// <summary>Key of an absolute http(s) URL, e.g. one named in a purge request.</summary>
    public static CacheKey FromUrl(Uri url)
    {
        if (!HttpUrl.IsHttp(url))
        {
            throw new ArgumentException($"'{url}' is not an absolute http(s) URL", nameof(url));
        }
        return Create(url.Scheme, url.Authority, url.PathAndQuery);
    }

    /// <summary>The same URL under the other scheme: a purge must reach both.</summary>
    public CacheKey WithOtherScheme()
    {
        var https = Value.StartsWith("https://", StringComparison.Ordinal);
        var rest = Value.AsSpan(https ? 8 : 7);
        var slash = rest.IndexOf('/');
        // Through Create, so an explicit port that is the other scheme's default (http://h:443) normalizes too.
        return Create(https ? "http" : "https", rest[..slash].ToString(), rest[slash..].ToString());
    }

    public override string ToString() => Value;

    private static string StripDefaultPort(string host, string scheme)
    {
        var port = scheme == "https" ? ":443" : ":80";
        return host.EndsWith(port, StringComparison.Ordinal) ? host[..^port.Length] : host;
    }
}
