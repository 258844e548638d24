namespace CdnPlatform.Control.Api;

/// <summary>
/// <c>GET /v1/dc</c>: every datacenter as the health monitor sees it, how often it probes, which one is active,
/// and the last switchover or failover asked for (null before the first). <see cref="State"/>, <see cref="Step"/>,
/// <see cref="Since"/> and <see cref="PreviousActive"/> are the saved failover state: a switch that is running, or
/// was found half-done when the control plane started (run the same command again to finish it).
/// </summary>
public sealed record DatacenterList(int ProbeMilliseconds, string Active, IReadOnlyList<DatacenterView> Datacenters, DatacenterSwitchReport? LastSwitch)
{
    /// <summary><c>idle</c>, <c>switching-over</c>, <c>failing-over</c> or <c>failing-back</c>.</summary>
    public string State { get; init; } = "idle";

    /// <summary>The last step of the running (or half-done) switch; null when idle.</summary>
    public string? Step { get; init; }

    /// <summary>When <see cref="State"/> began; null before the first switch.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Where a failback without <c>to</c> returns: the datacenter the last switchover or failover left.</summary>
    public string? PreviousActive { get; init; }
}
