namespace CdnPlatform.Control.Retrying;

/// <summary>
/// Waits between attempts at something refused or unanswered: exponential from <see cref="First"/> up to
/// <see cref="Longest"/>, each drawn between half and all of that ("equal jitter"), so control planes
/// refused together do not all come back in the same second.
/// </summary>
public sealed record ExponentialBackoff(TimeSpan First, TimeSpan Longest)
{
    /// <param name="attempt">The attempt that just failed, from 1.</param>
    /// <param name="random">Between 0 and 1; a fixed value makes the delay predictable in tests.</param>
    public TimeSpan After(int attempt, double random)
    {
        var ceiling = First * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        if (ceiling > Longest)
        {
            ceiling = Longest;
        }
        return ceiling / 2 + ceiling / 2 * Math.Clamp(random, 0, 1);
    }
}
