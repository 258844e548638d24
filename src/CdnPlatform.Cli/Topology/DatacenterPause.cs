namespace CdnPlatform.Cli.Topology;

/// <summary>What <see cref="DatacenterProcess.PauseAsync"/> stops.</summary>
public enum DatacenterPause
{
    /// <summary>Every process of the datacenter: a host frozen, or a network cut off that heals.</summary>
    All,

    /// <summary>Only its <c>redis-server</c>: storage that stalls (a fork, a slow disk) under nodes and gateways that run on.</summary>
    Redis,
}
