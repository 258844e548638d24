namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>
/// The loss of the active datacenter during the load, driven through the control API: at <see cref="KillAt"/> it is
/// killed (<c>POST /v1/dc/{name}/kill</c>, the local network only), the run waits for the automatic failover (or asks for
/// one when <see cref="Manual"/>), and <see cref="RestartAfter"/> after the kill it is started and failed back to.
/// Each step is marked on the timeline.
/// </summary>
public sealed record DatacenterDrill(TimeSpan KillAt, TimeSpan RestartAfter, bool Manual)
{
    public DatacenterDrill Scale(double factor) => this with { KillAt = KillAt * factor, RestartAfter = RestartAfter * factor };
}
