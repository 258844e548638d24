using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Freshness;

/// <summary>What <see cref="FreshnessLifetime.ForSharedCache(FreshnessInputs)"/> looks at, taken from one response.</summary>
public readonly record struct FreshnessInputs
{
    public FreshnessInputs()
    {
    }

    /// <summary>The directives that govern this cache: the targeted field's when one applies, else Cache-Control.</summary>
    public required CacheControl CacheControl { get; init; }

    /// <summary>
    /// <see cref="CacheControl"/> came from CDN-Cache-Control or Surrogate-Control
    /// (<see cref="TargetedCacheControl.Select"/>): RFC 9213 §2.1 then has the cache ignore Expires.
    /// </summary>
    public bool Targeted { get; init; }

    public required int StatusCode { get; init; }
    public StringValues Expires { get; init; }
    public StringValues Date { get; init; }
    public StringValues LastModified { get; init; }

    /// <summary>When the response arrived: stands in for a missing or invalid Date (RFC 9110 §6.6.1).</summary>
    public required DateTimeOffset ResponseTime { get; init; }

    /// <summary>
    /// The cache's own lifetime for responses that state none (a CDN's "default TTL"); when set it takes
    /// the place of the heuristic.
    /// </summary>
    public TimeSpan? DefaultLifetime { get; init; }

    /// <summary>The longest heuristic lifetime this cache assigns (RFC 9111 §4.2.2 leaves the bound to the cache).</summary>
    public TimeSpan HeuristicCap { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The share of the time since Last-Modified a response is assumed to stay fresh; §4.2.2 suggests 10%.</summary>
    public double HeuristicFraction { get; init; } = 0.1;
}
