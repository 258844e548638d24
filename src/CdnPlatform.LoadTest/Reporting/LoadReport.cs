namespace CdnPlatform.LoadTest.Reporting;

/// <summary>
/// Everything one run measured, as the JSON file holds it and the HTML report draws it. Latencies are in
/// milliseconds, times on the timeline in seconds from the start of the load.
/// </summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Model"><c>open</c> (arrival rate, latency from each request's intended send time) or <c>closed</c> (virtual users).</param>
/// <param name="StartedAt">When the load started (after preparing: sitemap read, edges warmed).</param>
/// <param name="DurationSeconds">How long the load ran (shorter than asked when it was stopped).</param>
/// <param name="RequestedRate">The mean arrival rate the stages asked for, requests/s; null for a closed model.</param>
/// <param name="Total">Every request of the run.</param>
/// <param name="Pops">One per target (point of presence), in the order they were given.</param>
/// <param name="Datacenters">Responses the origin made, by the datacenter of the node that made them (<c>X-Served-By</c>).</param>
/// <param name="Timeline">One entry per second of load.</param>
/// <param name="Events">Purges, their completion at every edge, datacenter kills and switches, stage changes.</param>
/// <param name="Thresholds">The scenario's thresholds, each with the figure it was checked against.</param>
/// <param name="Interrupted">The run was stopped before its end (Ctrl+C); the figures are those of what ran.</param>
public sealed record LoadReport(
    string Scenario,
    string Model,
    DateTimeOffset StartedAt,
    double DurationSeconds,
    double? RequestedRate,
    GroupFigures Total,
    IReadOnlyList<GroupFigures> Pops,
    IReadOnlyList<GroupFigures> Datacenters,
    IReadOnlyList<TimelineSecond> Timeline,
    IReadOnlyList<TimelineEvent> Events,
    IReadOnlyList<ThresholdResult> Thresholds,
    bool Interrupted)
{
    /// <summary>The first errors of the run as lines people can act on (<c>POST /cart via ams: 409 …</c>), at most <see cref="Recording.LoadRecorder.ErrorSampleLimit"/>.</summary>
    public IReadOnlyList<string> ErrorSamples { get; init; } = [];

    /// <summary>
    /// Every answer's time from its actual send to its end (ms): what wrk or any closed-model tool reports. Beside
    /// <see cref="Total"/>'s latencies it shows what waiting (for a connection, a stalled server, the generator) added.
    /// </summary>
    public LatencySummary? ServiceTime { get; init; }

    /// <summary>
    /// Open model: how late the generator itself started arrivals (ms), which every latency above includes; a p99 here
    /// near the latencies' p99 says the tail is the tool's, not the edge's. Null for a closed model.
    /// </summary>
    public LatencySummary? SendLag { get; init; }

    /// <summary>Every threshold held (true when there are none).</summary>
    public bool Passed => Thresholds.All(t => t.Passed);
}
