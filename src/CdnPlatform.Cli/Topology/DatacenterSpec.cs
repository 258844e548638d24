namespace CdnPlatform.Cli.Topology;

/// <summary>
/// Everything a <see cref="DatacenterHost"/> needs, settled before it starts (every port and address, the control
/// plane's URL), so that a datacenter started again after a kill comes back exactly where the others know it.
/// Written as JSON for <c>cdnctl datacenter-host --spec</c>.
/// </summary>
/// <param name="RedisDirectory">The store's files: they outlive the process, as a host's disk outlives a power cut.</param>
/// <param name="ReplicaOfPort">
/// The primary's Redis port on 127.0.0.1 for the DR store, null for the primary: the role at the first start. Later
/// starts take the role a switch last saved in the store's configuration file.
/// </param>
/// <param name="WaitForReplicaSync">Wait for the first sync before starting the nodes (at network start; not after a kill, when the primary may be dead).</param>
/// <param name="OriginProcesses">Each origin node a child process of its own (<c>--origin-processes</c>), still in the datacenter's group.</param>
/// <param name="AdminUrl">Where the host takes node stops, kills and restarts, guarded by <paramref name="AdminKey"/>.</param>
public sealed record DatacenterSpec(
    string Datacenter,
    int RedisPort,
    string RedisDirectory,
    int? ReplicaOfPort,
    bool WaitForReplicaSync,
    IReadOnlyList<DatacenterMember> Nodes,
    IReadOnlyList<DatacenterMember> Gateways,
    bool OriginProcesses,
    string AdminUrl,
    string AdminKey);
