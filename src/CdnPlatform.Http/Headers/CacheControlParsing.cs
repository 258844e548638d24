namespace CdnPlatform.Http.Headers;

/// <summary>Shared grammar pieces of the caching header fields.</summary>
public static class CacheControlParsing
{
    /// <summary>delta-seconds (RFC 9111 §1.2.2): 1*DIGIT; values past 2^31 are capped at 2^31.</summary>
    public static bool TryParseDeltaSeconds(ReadOnlySpan<char> value, out TimeSpan delta)
    {
        delta = default;
        if (value.IsEmpty)
        {
            return false;
        }
        long seconds = 0;
        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            seconds = Math.Min(seconds * 10 + (c - '0'), 2147483648L);
        }
        delta = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
