namespace CdnPlatform.Cli.Drill;

/// <summary>
/// What one phase of a drill did to visitors (the datacenter loss, or the failback): requests and errors by kind,
/// the recovery time of uncacheable traffic, sessions kept, acknowledged writes lost, purges lost.
/// </summary>
/// <param name="Name">The phase: <c>steady</c>, <c>dc-loss</c> or <c>failback</c>.</param>
/// <param name="Event">What started the phase (the kill, the failback command), and when on the drill's clock.</param>
/// <param name="Recovery">
/// From <paramref name="EventAt"/> until uncacheable reads and writes succeed again: the end of the last one that
/// failed; zero when none failed.
/// </param>
/// <param name="Switched">From the event until the control plane showed the new active datacenter; null if it never did.</param>
/// <param name="SessionsKept">Logged-in visitors still logged in (their cart answered with their account) at the phase's end.</param>
/// <param name="PurgesLost">Purges the control plane accepted (202) that not every edge applied within the deadline.</param>
public sealed record DrillPhaseReport(
    string Name,
    string Event,
    TimeSpan EventAt,
    TimeSpan Duration,
    IReadOnlyList<KindFigures> Kinds,
    TimeSpan Recovery,
    TimeSpan? Switched,
    int SessionsKept,
    int Sessions,
    int WritesAcknowledged,
    int WritesLost,
    int PurgesAccepted,
    int PurgesLost)
{
    public KindFigures Of(DrillKind kind) => Kinds.Single(k => k.Kind == kind);

    public int Errors => Kinds.Sum(k => k.Errors);
}
