using CdnPlatform.Edge.Storage;
using CdnPlatform.Http.Headers;

namespace CdnPlatform.Edge.Delivery;

/// <summary>
/// The one place the edge writes its Cache-Status member (RFC 9211), whatever answered: the store, the
/// origin, or the edge itself. Members of caches before this one stay; ours is appended last.
/// </summary>
internal static class CacheStatusField
{
    private const int Cached = 86_400;
    private static readonly string?[] PlainHits = new string?[Cached];

    public static void Append(IHeaderDictionary headers, in CacheStatus status) =>
        headers.Append(HeaderRules.CacheStatus, Format(status));

    // A plain hit's member is made once per ttl for the first day, so a hit allocates no string for it.
    private static string Format(in CacheStatus status)
    {
        if (status.IsPlainHit && status.TimeToLive is { } ttl)
        {
            var seconds = (long)Math.Floor(ttl.TotalSeconds);
            if (seconds is >= 0 and < Cached)
            {
                return PlainHits[seconds] ??= status.ToString();
            }
        }
        return status.ToString();
    }
}
