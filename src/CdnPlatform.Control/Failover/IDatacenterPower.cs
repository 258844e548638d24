namespace CdnPlatform.Control.Failover;

/// <summary>
/// Cuts and restores a whole datacenter's power, for <c>POST /v1/dc/{name}/kill</c> and <c>/start</c>, and pauses and
/// resumes it or its Redis, for <c>/pause</c> and <c>/resume</c>: the losses and stalls a failover drill needs. Only <c>cdnctl up --redis auto</c> registers one (each datacenter there is a process group
/// it started); elsewhere the endpoints answer 404, since a control plane must not be able to kill real hosts.
/// </summary>
public interface IDatacenterPower
{
    /// <summary>SIGKILLs every process of the datacenter at once (gateways, nodes, its Redis); returns once they are gone.</summary>
    /// <returns>False when it was killed already: nothing was done.</returns>
    Task<bool> KillAsync(string datacenter, CancellationToken cancellationToken);

    /// <summary>Starts the datacenter again from its settings and data; returns once its gateways and nodes are ready.</summary>
    /// <returns>False when it was running already: nothing was done.</returns>
    Task<bool> StartAsync(string datacenter, CancellationToken cancellationToken);

    /// <summary>
    /// SIGSTOPs every process of the datacenter, or only its Redis (<paramref name="redisOnly"/>): they keep their state
    /// and connections and answer nothing until <see cref="ResumeAsync"/>, a stall rather than a loss.
    /// </summary>
    /// <returns>False when something of it is paused already: nothing was done.</returns>
    /// <exception cref="InvalidOperationException">It is killed, or has nothing to pause; the message says which.</exception>
    Task<bool> PauseAsync(string datacenter, bool redisOnly, CancellationToken cancellationToken);

    /// <summary>SIGCONTs what <see cref="PauseAsync"/> stopped.</summary>
    /// <returns>False when nothing of it was paused: nothing was done.</returns>
    Task<bool> ResumeAsync(string datacenter, CancellationToken cancellationToken);
}
