namespace CdnPlatform.Cluster.Health;

/// <summary>What an observer concluded about a datacenter (or one of its parts) from its probes.</summary>
public enum HealthState
{
    /// <summary>Not probed enough yet to say; never counts as down.</summary>
    Unknown,
    Up,
    Down,
}
