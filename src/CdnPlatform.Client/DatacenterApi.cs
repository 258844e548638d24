using System.Net.Http.Json;
using CdnPlatform.Control.Api;

namespace CdnPlatform.Client;

/// <summary>The control plane's <c>/v1/dc</c>, as cdnctl calls it; the bodies are the control plane's own types.</summary>
/// <exception cref="ControlApiException">Any call the control plane answers with an error.</exception>
/// <exception cref="HttpRequestException">The control plane cannot be reached.</exception>
public sealed class DatacenterApi(HttpClient client)
{
    public Task<DatacenterList> StatusAsync(CancellationToken cancellationToken) =>
        ControlApiCalls.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "/v1/dc"), ControlJsonContext.Default.DatacenterList, cancellationToken);

    public Task<DatacenterSwitchReport> SwitchoverAsync(string to, bool force, CancellationToken cancellationToken) =>
        SwitchAsync("/v1/dc/switchover", to, force, cancellationToken);

    public Task<DatacenterSwitchReport> FailoverAsync(string to, bool force, CancellationToken cancellationToken) =>
        SwitchAsync("/v1/dc/failover", to, force, cancellationToken);

    /// <param name="to">Null: back to the datacenter the last switch left.</param>
    public Task<DatacenterSwitchReport> FailbackAsync(string? to, bool force, CancellationToken cancellationToken) =>
        SwitchAsync("/v1/dc/failback", to, force, cancellationToken);

    private Task<DatacenterSwitchReport> SwitchAsync(string path, string? to, bool force, CancellationToken cancellationToken) =>
        ControlApiCalls.SendAsync(client, new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(new SwitchRequest(to, force), ControlJsonContext.Default.SwitchRequest),
        }, ControlJsonContext.Default.DatacenterSwitchReport, cancellationToken);

    /// <summary><c>POST /v1/dc/{name}/kill</c>: SIGKILL a datacenter of the local network (404 on any other control plane).</summary>
    public Task<DatacenterPowerState> KillAsync(string datacenter, CancellationToken cancellationToken) => PowerAsync(datacenter, "kill", cancellationToken);

    /// <summary><c>POST /v1/dc/{name}/start</c>: start a killed datacenter of the local network again, answered once it is ready.</summary>
    public Task<DatacenterPowerState> StartAsync(string datacenter, CancellationToken cancellationToken) => PowerAsync(datacenter, "start", cancellationToken);

    /// <summary><c>POST /v1/dc/{name}/pause</c>: SIGSTOP a datacenter of the local network, or only its Redis (404 on any other control plane).</summary>
    public Task<DatacenterPowerState> PauseAsync(string datacenter, bool redisOnly, CancellationToken cancellationToken) =>
        PowerAsync(datacenter, redisOnly ? "pause?only=redis" : "pause", cancellationToken);

    /// <summary><c>POST /v1/dc/{name}/resume</c>: SIGCONT what a pause stopped.</summary>
    public Task<DatacenterPowerState> ResumeAsync(string datacenter, CancellationToken cancellationToken) => PowerAsync(datacenter, "resume", cancellationToken);

    /// <summary>
    /// Polls <c>GET /v1/dc</c> every 100 ms until <paramref name="datacenter"/> is the active one; how long that took, or
    /// null when it was not within <paramref name="timeout"/>. A moment the control plane is out of reach is polled through.
    /// </summary>
    public Task<TimeSpan?> WaitActiveAsync(string datacenter, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        WaitForAsync(list => list.Active == datacenter, timeout, time, cancellationToken);

    /// <summary>Polls until the control plane's own probes see <paramref name="datacenter"/> down; how long that took, or null.</summary>
    public Task<TimeSpan?> WaitDownAsync(string datacenter, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        WaitForAsync(list => list.Datacenters.Single(d => d.Name == datacenter).ControlView == "down", timeout, time, cancellationToken);

    /// <summary>
    /// Polls until <paramref name="datacenter"/> is up for the control plane's probes and its Redis is a replica, linked
    /// to its primary, whose offset reached the active datacenter's offset of the first poll: every write made before
    /// the wait began has reached it. How long that took, or null.
    /// </summary>
    public Task<TimeSpan?> WaitCaughtUpAsync(string datacenter, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        long? mark = null;
        return WaitForAsync(list =>
        {
            mark ??= list.Datacenters.Single(d => d.Name == list.Active).ReplicationOffset;
            var view = list.Datacenters.Single(d => d.Name == datacenter);
            // "slave" is Redis's word in INFO replication.
            return view is { ControlView: "up", RedisRole: "slave", ReplicationLinkUp: true } && view.ReplicationOffset >= mark;
        }, timeout, time, cancellationToken);
    }

    private async Task<TimeSpan?> WaitForAsync(Func<DatacenterList, bool> seen, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        while (time.GetElapsedTime(start) < timeout)
        {
            try
            {
                if (seen(await StatusAsync(cancellationToken)))
                {
                    return time.GetElapsedTime(start);
                }
            }
            catch (HttpRequestException)
            {
                // The control plane lives outside both datacenters; a moment out of reach is retried like any poll.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
        return null;
    }

    /// <summary>
    /// Polls until the control plane's own probes see <paramref name="datacenter"/> up (what a failback without force
    /// needs); null when they do within <paramref name="timeout"/>, else the last reason they gave.
    /// </summary>
    public async Task<string?> WaitUpAsync(string datacenter, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        DatacenterView? view = null;
        while (time.GetElapsedTime(start) < timeout)
        {
            view = (await StatusAsync(cancellationToken)).Datacenters.Single(d => d.Name == datacenter);
            if (view.ControlView == "up")
            {
                return null;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
        return view?.Reason ?? "not seen";
    }

    private Task<DatacenterPowerState> PowerAsync(string datacenter, string action, CancellationToken cancellationToken) =>
        ControlApiCalls.SendAsync(client, new HttpRequestMessage(HttpMethod.Post, $"/v1/dc/{Uri.EscapeDataString(datacenter)}/{action}"),
            ControlJsonContext.Default.DatacenterPowerState, cancellationToken);
}
