namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>
/// A load test as its file describes it (docs/cdnload.md has the format): how load arrives, what visitors do, what
/// happens to the network meanwhile, and the thresholds that decide the exit code. Flags may rescale it
/// (<see cref="Rescale"/>).
/// </summary>
/// <param name="Start">Where the curve starts: requests/s (open) or virtual users (closed).</param>
/// <param name="Stages">The curve from <paramref name="Start"/>; at least one.</param>
/// <param name="ThinkTime">Closed model: each virtual user's pause between two requests.</param>
/// <param name="Site">The Host visitors send.</param>
/// <param name="Zipf">Popularity exponent over the sitemap's pages (0 is uniform).</param>
/// <param name="Pages">At most this many pages of the sitemap, in its order (rank 1 is the first).</param>
/// <param name="Mix">How arrivals split between journeys.</param>
/// <param name="Purge">CMS publishes during the load (purge-storm); null for none.</param>
/// <param name="Drill">A datacenter loss during the load (dc-drill); null for none.</param>
/// <param name="Connections">At most this many connections per POP.</param>
/// <param name="Timeout">A request without an answer by then is an error (timeout).</param>
public sealed record Scenario(
    string Name,
    string Description,
    LoadModel Model,
    double Start,
    IReadOnlyList<Stage> Stages,
    TimeSpan ThinkTime,
    string Site,
    double Zipf,
    int Pages,
    JourneyMix Mix,
    PurgeStorm? Purge,
    DatacenterDrill? Drill,
    IReadOnlyList<string> Thresholds,
    int Connections,
    TimeSpan Timeout)
{
    /// <summary>
    /// How long the generator loads itself before the measured load: the sitemap read again and again through every POP
    /// (a cached read that leaves the pages' cache state as it was), not recorded. Without it the first second carries
    /// the tool's own start — its code compiled on first use, connections opened — as tens of milliseconds of p99.
    /// </summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Duration => Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    /// <summary>The curve's largest value: the peak rate or the most users.</summary>
    public double Peak => Math.Max(Start, Stages.Max(s => s.Target));

    /// <summary>
    /// The same scenario at another size: <paramref name="start"/> (<c>--rate</c> or <c>--users</c>) is the new base, where the
    /// curve starts, and every point of the curve scales with it (sale-peak's ramp to 3× the base stays 3×; a curve
    /// starting at 0 scales so its peak is that), <paramref name="duration"/> (<c>--duration</c>) scales
    /// every stage so they last that long in all; the drill's and purges' times scale with the stages.
    /// </summary>
    public Scenario Rescale(double? start, TimeSpan? duration)
    {
        var basis = Start > 0 ? Start : Peak;
        var valueFactor = start is { } b && basis > 0 ? b / basis : 1;
        var timeFactor = duration is { } d && Duration > TimeSpan.Zero ? d / Duration : 1;
        return this with
        {
            Start = Start * valueFactor,
            Stages = [.. Stages.Select(s => new Stage(s.Duration * timeFactor, s.Target * valueFactor))],
            Drill = Drill?.Scale(timeFactor),
        };
    }
}
