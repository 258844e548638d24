using CdnPlatform.Control.Failover;

namespace CdnPlatform.Cli.Topology;

/// <summary>The control plane's <c>POST /v1/dc/{name}/kill</c>, <c>/start</c>, <c>/pause</c> and <c>/resume</c> on a <see cref="LocalNetwork"/> whose datacenters are process groups.</summary>
internal sealed class LocalDatacenterPower(LocalNetwork network) : IDatacenterPower
{
    public Task<bool> KillAsync(string datacenter, CancellationToken cancellationToken) => network.KillDatacenterAsync(datacenter);

    public Task<bool> StartAsync(string datacenter, CancellationToken cancellationToken) => network.StartDatacenterAsync(datacenter, cancellationToken);

    public Task<bool> PauseAsync(string datacenter, bool redisOnly, CancellationToken cancellationToken) =>
        network.PauseDatacenterAsync(datacenter, redisOnly ? DatacenterPause.Redis : DatacenterPause.All);

    public Task<bool> ResumeAsync(string datacenter, CancellationToken cancellationToken) => network.ResumeDatacenterAsync(datacenter);
}
