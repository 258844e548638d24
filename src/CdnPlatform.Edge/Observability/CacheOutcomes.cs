using CdnPlatform.Http.Headers;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// Reads the outcome from the edge's own Cache-Status member (RFC 9211), which every answer already carries: one
/// place decides what happened (<see cref="Delivery.CacheStatusField"/>), and the counters cannot disagree with what
/// the visitor was told.
/// </summary>
internal static class CacheOutcomes
{
    public const int Count = (int)CacheOutcome.Generated + 1;

    private static readonly string[] Tokens = ["hit", "stale", "collapsed", "miss", "pass", "generated"];

    public static string Token(CacheOutcome outcome) => Tokens[(int)outcome];

    // "; hit; ttl=299" and nothing else: most answers, told apart in one pass.
    private static bool IsPlainHit(ReadOnlySpan<char> text)
    {
        const string Prefix = "; hit; ttl=";
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length == Prefix.Length)
        {
            return false;
        }
        foreach (var c in text[Prefix.Length..])
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The outcome of a response whose Cache-Status field ends with <paramref name="member"/> (null: none).</summary>
    public static CacheOutcome FromMember(string? member)
    {
        if (member is null || !member.StartsWith(CacheStatus.DefaultCacheName, StringComparison.Ordinal))
        {
            return CacheOutcome.Generated;
        }
        var text = member.AsSpan(CacheStatus.DefaultCacheName.Length);
        if (IsPlainHit(text))
        {
            return CacheOutcome.Hit;
        }
        // A stale answer says so in its detail (stale-while-revalidate, stale-if-error, served stale) or, served
        // under max-stale, by a negative ttl.
        var stale = text.Contains("stale\"", StringComparison.Ordinal) || text.Contains("stale-", StringComparison.Ordinal)
            || text.Contains("ttl=-", StringComparison.Ordinal);
        if (text.StartsWith("; hit", StringComparison.Ordinal))
        {
            return text.Contains("; collapsed", StringComparison.Ordinal) ? CacheOutcome.Collapsed
                : stale ? CacheOutcome.Stale
                : CacheOutcome.Hit;
        }
        if (!text.StartsWith("; fwd=", StringComparison.Ordinal))
        {
            return CacheOutcome.Generated;
        }
        if (stale && text.Contains("detail=", StringComparison.Ordinal))
        {
            // The origin failed and a stored entry stood in.
            return CacheOutcome.Stale;
        }
        var reason = text["; fwd=".Length..];
        return reason.StartsWith("method", StringComparison.Ordinal) || reason.StartsWith("request", StringComparison.Ordinal)
            || reason.StartsWith("bypass", StringComparison.Ordinal)
            ? CacheOutcome.Pass
            : CacheOutcome.Miss;
    }
}
