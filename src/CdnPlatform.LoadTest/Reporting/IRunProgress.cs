namespace CdnPlatform.LoadTest.Reporting;

/// <summary>
/// Where a run reports as it goes: once per second of load, and at each event. Called from the run's sampler,
/// one call at a time; an implementation must not block it for long (the sampler is what closes each second).
/// </summary>
public interface IRunProgress
{
    /// <param name="second">The second that just closed.</param>
    /// <param name="elapsed">Load time so far.</param>
    /// <param name="planned">How long the scenario's stages last.</param>
    void OnSecond(TimelineSecond second, TimeSpan elapsed, TimeSpan planned);

    void OnEvent(TimelineEvent timelineEvent);
}
