namespace CdnPlatform.Cli.Drill;

/// <summary>What a drill rehearses, each with its own <c>cdnctl drill</c> command.</summary>
public enum DrillScenario
{
    /// <summary><c>dc-loss</c>: the active datacenter killed, the failover, and the failback once it is started again.</summary>
    DcLoss,

    /// <summary><c>switchover</c>: a planned switchover to the other datacenter and back, nothing killed.</summary>
    Switchover,

    /// <summary>
    /// <c>standby-loss</c>: a datacenter that is not active killed and started again. Nothing switches; visitors
    /// must not notice either, and the started datacenter must catch up with the active one's writes.
    /// </summary>
    StandbyLoss,
}
