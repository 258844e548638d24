using CdnPlatform.Control.Retrying;

namespace CdnPlatform.Control.CloudFront;

/// <summary>Waits between attempts at a refused invalidation: from 1 s, doubling, up to a minute, jittered.</summary>
public static class CloudFrontBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(60);

    private static readonly ExponentialBackoff Backoff = new(First, Longest);

    /// <inheritdoc cref="ExponentialBackoff.After"/>
    public static TimeSpan After(int attempt, double random) => Backoff.After(attempt, random);
}
