namespace CdnPlatform.Control.CloudFront;

/// <summary>
/// Waits between attempts at a refused invalidation: exponential from <see cref="First"/> up to
/// <see cref="Longest"/>, each drawn between half and all of that ("equal jitter"), so control planes
/// refused together do not all come back in the same second.
/// </summary>
public static class CloudFrontBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(60);

    /// <param name="attempt">The attempt that just failed, from 1.</param>
    /// <param name="random">Between 0 and 1; a fixed value makes the delay predictable in tests.</param>
    public static TimeSpan After(int attempt, double random)
    {
        var ceiling = First * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        if (ceiling > Longest)
        {
            ceiling = Longest;
        }
        return ceiling / 2 + ceiling / 2 * Math.Clamp(random, 0, 1);
    }
}
