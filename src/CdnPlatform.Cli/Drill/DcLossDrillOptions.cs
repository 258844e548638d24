namespace CdnPlatform.Cli.Drill;

/// <summary>What <c>cdnctl drill dc-loss</c> does, and for how long.</summary>
public sealed record DcLossDrillOptions
{
    /// <summary>
    /// The datacenter to kill; null for the active one (for <see cref="DrillScenario.StandbyLoss"/>, the first that
    /// is not active). A loss drill refuses one that is not active, a standby drill the active one.
    /// </summary>
    public string? Kill { get; init; }

    /// <summary>Where visitors must end up; null for the other datacenter.</summary>
    public string? To { get; init; }

    /// <summary>Load before the kill, whose figures show the network was healthy to begin with.</summary>
    public TimeSpan Steady { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Load after each switch is done, to see that visitors stay served.</summary>
    public TimeSpan After { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the control plane may take to show the new active datacenter before the drill gives up.</summary>
    public TimeSpan SwitchTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Ask for the failover right after the kill, as ops would by hand, instead of waiting for the control plane's
    /// automatic policy (<c>Control:Failover:Automatic</c>) to declare the datacenter down.
    /// </summary>
    public bool Manual { get; init; }

    /// <summary>
    /// The loss of the active datacenter; or a planned switchover (the active datacenter stays up, the drill switches
    /// over to <see cref="To"/> and then back); or the loss of a standby (<see cref="Kill"/>), started again after
    /// <see cref="After"/>. The last two must cost visitors nothing.
    /// </summary>
    public DrillScenario Scenario { get; init; }

    /// <summary>
    /// After the loss, start the killed datacenter again and fail back to it (resync, then a planned switchover); a
    /// killed standby is started again, with nothing to fail back.
    /// </summary>
    public bool Failback { get; init; } = true;

    /// <summary>For <see cref="DrillScenario.Stall"/>: pause only the datacenter's Redis, not its gateways and nodes.</summary>
    public bool PauseRedisOnly { get; init; }

    /// <summary>
    /// For <see cref="DrillScenario.Stall"/>: how long after the control plane showed the new active datacenter the
    /// paused one resumes. Short by default: the writes still waiting at its nodes then complete against a Redis that
    /// still answers as the primary, which is what the stall rehearses.
    /// </summary>
    public TimeSpan ResumeAfter { get; init; } = TimeSpan.FromSeconds(1);

    public DrillTrafficOptions Traffic { get; init; } = new();
}
