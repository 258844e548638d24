using CdnPlatform.Cluster.Naming;

namespace CdnPlatform.Cluster.Tests;

public sealed class InMemoryDnsChangeBusTests : DnsChangeBusContract
{
    protected override Task<(IDnsChangeBus Control, IDnsChangeBus Edge)> ConnectAsync()
    {
        // Every node of the process holds the same instance.
        var bus = new InMemoryDnsChangeBus();
        return Task.FromResult<(IDnsChangeBus, IDnsChangeBus)>((bus, bus));
    }

    [Fact]
    public void Transport_IsNamedMemory() => Assert.Equal("memory", new InMemoryDnsChangeBus().Transport);
}
