namespace CdnPlatform.Cli.Drill;

/// <summary>
/// The whole drill: which datacenter was killed (or, <see cref="Planned"/>, switched away from) and which took
/// over (for <see cref="DrillScenario.StandbyLoss"/>, which stayed active), each phase's figures, and what missed
/// the bar of issue 12 (empty when every phase held it).
/// </summary>
public sealed record DcLossDrillReport(string Killed, string TookOver, bool Automatic, IReadOnlyList<DrillPhaseReport> Phases, IReadOnlyList<string> Misses)
{
    public DrillScenario Scenario { get; init; }

    /// <summary>A planned switchover and back (<c>cdnctl drill switchover</c>), nothing killed.</summary>
    public bool Planned => Scenario == DrillScenario.Switchover;

    public bool HeldTheBar => Misses.Count == 0;
}
