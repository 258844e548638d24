namespace CdnPlatform.Control.Configuration;

/// <summary>
/// Which edges <c>www.</c> lists (<c>Control:Dns:PopHealth</c>): each edge's <c>/healthz</c> is probed every
/// <see cref="ProbeSeconds"/>; <see cref="DownAfter"/> failures in a row take it out of the answers and
/// <see cref="UpAfter"/> successes in a row bring it back, so one lost probe moves nothing.
/// </summary>
public sealed record ControlPopHealthOptions
{
    /// <summary>Also how long one probe may take: a probe slower than the interval has failed.</summary>
    public int ProbeSeconds { get; init; } = 1;

    public int DownAfter { get; init; } = 3;

    public int UpAfter { get; init; } = 2;

    public IEnumerable<string> Validate(string section)
    {
        if (ProbeSeconds is < 1 or > 60)
        {
            yield return $"{section}:ProbeSeconds must be 1..60, was {ProbeSeconds}";
        }
        if (DownAfter is < 1 or > 100)
        {
            yield return $"{section}:DownAfter must be 1..100, was {DownAfter}";
        }
        if (UpAfter is < 1 or > 100)
        {
            yield return $"{section}:UpAfter must be 1..100, was {UpAfter}";
        }
    }
}
