using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Coalescing;

/// <summary>
/// What a flight's leader publishes once the origin's answer turned out storable and large: the entry as it will be
/// stored, without its body (<paramref name="Head"/>: status, fields, freshness, variant), and the body as it arrives.
/// Followers whose request that head answers stream it instead of waiting for the flight to land.
/// </summary>
public sealed record StreamingFill(CacheEntry Head, GrowingBody Body);
