using System.Globalization;
using CdnPlatform.Http.Headers;

namespace CdnPlatform.Edge.Delivery;

/// <summary>
/// The per-hit header values (Age, and Cache-Status for a plain hit) for the first day of ages and ttls,
/// made once and reused, so a hit allocates no strings for them.
/// </summary>
internal static class DeliveryStrings
{
    private const int Cached = 86_400;
    private static readonly string?[] Ages = new string?[Cached];
    private static readonly string?[] Hits = new string?[Cached];

    public static string Age(long seconds) =>
        seconds is >= 0 and < Cached
            ? Ages[seconds] ??= seconds.ToString(CultureInfo.InvariantCulture)
            : seconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>This cache's member for a plain hit with <paramref name="ttlSeconds"/> left.</summary>
    public static string Hit(long ttlSeconds) =>
        ttlSeconds is >= 0 and < Cached
            ? Hits[ttlSeconds] ??= Format(ttlSeconds)
            : Format(ttlSeconds);

    private static string Format(long ttlSeconds) => CacheStatus.ForHit(TimeSpan.FromSeconds(ttlSeconds)).ToString();
}
