namespace CdnPlatform.Cli.Drill;

/// <summary>
/// The phases a drill reports, and what each one's <see cref="DrillPhaseReport.Switched"/> measures: for a switch
/// the moment the control plane showed the new active datacenter; for a killed standby the moment its probes saw it
/// down; for a standby started again, or a stalled datacenter resumed, the moment its Redis had caught up with the
/// active one's as its replica (for the resumed one: fenced).
/// </summary>
public static class DrillPhaseNames
{
    public const string Steady = "steady";
    public const string DcLoss = "dc-loss";
    public const string Failback = "failback";
    public const string Switchover = "switchover";
    public const string Switchback = "switchback";
    public const string StandbyLoss = "standby-loss";
    public const string StandbyBack = "standby-back";
    public const string Stall = "stall";
    public const string Resumed = "resumed";

    /// <summary>
    /// Whether an acknowledged write lost in the phase misses the bar although the phase is not planned: a stalled
    /// datacenter can acknowledge nothing it does not keep, since what it acknowledged before the stall was replicated
    /// within milliseconds, and it acknowledges nothing while paused. A datacenter killed outright may lose its last
    /// unreplicated writes (the failover's assessment says how many bytes).
    /// </summary>
    public static bool KeepsEveryWrite(string phase) => phase is Stall or Resumed;

    /// <summary>How the report names the phase's milestone (<see cref="DrillPhaseReport.Switched"/>).</summary>
    public static string Milestone(string phase) => phase switch
    {
        StandbyLoss => "seen down",
        StandbyBack => "caught up",
        Resumed => "fenced",
        _ => "switched",
    };

    /// <summary>The bar's words for a phase whose milestone never came.</summary>
    public static string MilestoneMissed(string phase) => phase switch
    {
        StandbyLoss => "the control plane never saw the killed datacenter down",
        StandbyBack => "the started datacenter's Redis never caught up with the active one's",
        Resumed => "the resumed datacenter's Redis never became a caught-up replica of the active one's",
        _ => "the control plane never showed the new active datacenter",
    };
}
