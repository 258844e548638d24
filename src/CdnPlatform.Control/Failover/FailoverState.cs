using CdnPlatform.Control.Api;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// Where the sites' failover stands, as the control plane keeps it across its own restarts
/// (<see cref="IFailoverStateStore"/>): <see cref="State"/> is <see cref="Idle"/> between switches, otherwise the
/// switch running and its last <see cref="Step"/>, found half-done if the control plane stopped during it.
/// <see cref="Active"/> is where <c>origin.</c> points, <see cref="Since"/> when <see cref="State"/> began, and
/// <see cref="PreviousActive"/> the datacenter a failback returns to (the one left by the last switchover or failover).
/// </summary>
public sealed record FailoverState(
    string State,
    string Active,
    string? Target,
    string? Step,
    DateTimeOffset Since,
    string? PreviousActive,
    DatacenterSwitchReport? Last)
{
    public const string Idle = "idle";
    public const string SwitchingOver = "switching-over";
    public const string FailingOver = "failing-over";
    public const string FailingBack = "failing-back";

    /// <summary>The state a switch of <paramref name="kind"/> (switchover, failover, failback) is in while it runs.</summary>
    public static string Running(string kind) => kind switch
    {
        "switchover" => SwitchingOver,
        "failover" => FailingOver,
        "failback" => FailingBack,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind of switch"),
    };
}
