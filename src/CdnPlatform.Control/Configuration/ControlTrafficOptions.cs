namespace CdnPlatform.Control.Configuration;

/// <summary>
/// How the control plane reads each POP's traffic (<c>Control:Traffic</c>): every <see cref="PollMilliseconds"/> it
/// reads the <c>traffic</c> counters of every edge's <c>/healthz</c>; a POP's request rate and hit ratio are the
/// counters' change between two polls, so the interval is also the window they are averaged over.
/// </summary>
public sealed record ControlTrafficOptions
{
    /// <summary>
    /// Also how long one poll may take: an edge slower than that (or than 1 s) has no figure for the round. 0 turns the
    /// poll off (the dashboard then shows no rates): for a control plane whose edges are scraped by Prometheus anyway.
    /// </summary>
    public int PollMilliseconds { get; init; } = 2000;

    public bool Enabled => PollMilliseconds > 0;

    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(PollMilliseconds);

    public IEnumerable<string> Validate(string section)
    {
        if (PollMilliseconds != 0 && PollMilliseconds is < 100 or > 60_000)
        {
            yield return $"{section}:PollMilliseconds must be 100..60000, or 0 for no poll, was {PollMilliseconds}";
        }
    }
}
