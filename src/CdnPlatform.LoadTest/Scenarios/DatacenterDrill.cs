namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>
/// A datacenter's loss during the load, driven through the control API. The active one by default: at
/// <see cref="KillAt"/> it is killed (<c>POST /v1/dc/{name}/kill</c>, the local network only), the run waits for the
/// automatic failover (or asks for one when <see cref="Manual"/>), and <see cref="RestartAfter"/> after the kill it is
/// started and failed back to. With <see cref="Standby"/> a datacenter that is not active is killed instead, nothing
/// switches, and after its start the run waits for its Redis to catch up. With a <see cref="Fault"/> other than a kill the
/// datacenter is paused at <see cref="KillAt"/> and resumed <see cref="RestartAfter"/> later instead. Each step is marked
/// on the timeline.
/// </summary>
public sealed record DatacenterDrill(TimeSpan KillAt, TimeSpan RestartAfter, bool Manual, bool Standby = false,
    DatacenterFault Fault = DatacenterFault.Kill)
{
    public DatacenterDrill Scale(double factor) => this with { KillAt = KillAt * factor, RestartAfter = RestartAfter * factor };
}
