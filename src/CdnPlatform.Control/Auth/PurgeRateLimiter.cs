using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Auth;

/// <summary>
/// A token bucket per API key, so one misbehaving client (a CMS stuck in a publish loop) cannot flood
/// every edge with purges. The caller answers 429 with the time until the next token.
/// </summary>
public sealed class PurgeRateLimiter : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _buckets = new(StringComparer.Ordinal);
    private readonly TokenBucketRateLimiterOptions _options;

    public PurgeRateLimiter(ControlOptions options)
    {
        _options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.PurgeBurst,
            TokensPerPeriod = options.PurgeRequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    /// <summary>Null when the key may go ahead; otherwise how long it should wait.</summary>
    public TimeSpan? TryAcquire(string keyName)
    {
        var bucket = _buckets.GetOrAdd(keyName, _ => new TokenBucketRateLimiter(_options));
        using var lease = bucket.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }
    }
}
