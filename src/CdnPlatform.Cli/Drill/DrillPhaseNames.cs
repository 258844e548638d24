namespace CdnPlatform.Cli.Drill;

/// <summary>
/// The phases a drill reports, and what each one's <see cref="DrillPhaseReport.Switched"/> measures: for a switch
/// the moment the control plane showed the new active datacenter; for a killed standby the moment its probes saw it
/// down; for a standby started again the moment its Redis had caught up with the active one's.
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

    /// <summary>How the report names the phase's milestone (<see cref="DrillPhaseReport.Switched"/>).</summary>
    public static string Milestone(string phase) => phase switch
    {
        StandbyLoss => "seen down",
        StandbyBack => "caught up",
        _ => "switched",
    };

    /// <summary>The bar's words for a phase whose milestone never came.</summary>
    public static string MilestoneMissed(string phase) => phase switch
    {
        StandbyLoss => "the control plane never saw the killed datacenter down",
        StandbyBack => "the started datacenter's Redis never caught up with the active one's",
        _ => "the control plane never showed the new active datacenter",
    };
}
