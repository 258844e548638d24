using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Invalidation;

/// <summary>
/// "Everything under this key prefix stored before now is invalid" — recorded once and checked lazily at
/// lookup (Varnish's bans), so a prefix purge costs nothing however many entries it covers.
/// </summary>
public sealed record Ban(string KeyPrefix, long Generation, bool Soft)
{
    public bool Covers(CacheKey key) => key.Value.StartsWith(KeyPrefix, StringComparison.Ordinal);
}
