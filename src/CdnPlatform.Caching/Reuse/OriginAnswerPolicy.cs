using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Reuse;

/// <summary>
/// Decides, from the origin's status alone, whether its response goes to the visitor or a stored entry
/// answers instead. Pure, like <see cref="ReusePolicy"/>: the fetch step acts on the value it returns.
/// </summary>
public static class OriginAnswerPolicy
{
    /// <param name="originStatus">The origin's status code, or null when it could not be reached at all.</param>
    /// <param name="stored">The entry the fetch revalidates or could fall back on; null on a plain miss.</param>
    /// <param name="revalidates">Whether the request to the origin carried the stored entry's validators.</param>
    public static OriginAnswer Classify(int? originStatus, CacheEntry? stored, bool revalidates, DateTimeOffset now,
        TimeSpan siteStaleIfError, TimeSpan siteStaleWhenUnreachable)
    {
        if (originStatus is not { } status)
        {
            return stored is not null && ReusePolicy.MayServeWhenDisconnected(stored, now, siteStaleIfError, siteStaleWhenUnreachable)
                ? OriginAnswer.StaleWhenUnreachable
                : OriginAnswer.Unreachable;
        }
        // A 304 answers the edge's conditional only; a 304 to the visitor's own conditional (a pass) is passed on.
        if (status == 304 && revalidates && stored is not null)
        {
            return OriginAnswer.Validated;
        }
        if (status >= 500 && stored is not null && ReusePolicy.MayServeOnError(stored, now, siteStaleIfError))
        {
            return OriginAnswer.StaleIfError;
        }
        return OriginAnswer.Use;
    }
}
