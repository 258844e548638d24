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

    /// <summary>
    /// <c>stall</c>: the active datacenter paused (SIGSTOP), whole or only its Redis, until the control plane has failed
    /// over, then resumed: a datacenter that stalls rather than dies, and comes back believing it is still the primary.
    /// Nothing acknowledged may be lost, neither while it is paused nor once it resumes and is fenced; then the failback.
    /// </summary>
    Stall,
}
