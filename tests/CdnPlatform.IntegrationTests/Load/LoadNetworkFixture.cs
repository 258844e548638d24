using CdnPlatform.Cli.Topology;

namespace CdnPlatform.IntegrationTests.Load;

/// <summary>
/// One <c>cdnctl up --redis auto</c> network for the load tool's runs: datacenters in process groups of their own (so
/// dc-drill can kill one), Redis everywhere, the automatic failover policy on, ports picked free.
/// </summary>
public sealed class LoadNetworkFixture : IAsyncLifetime
{
    public LocalNetwork Network { get; private set; } = null!;

    public async Task InitializeAsync() => Network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = "load-key-0123456789",
        StartRedisServers = true,
        AutomaticFailover = true,
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
    });

    public async Task DisposeAsync() => await Network.DisposeAsync();
}
