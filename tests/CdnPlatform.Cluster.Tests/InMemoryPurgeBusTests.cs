using CdnPlatform.Cluster.Purging;

namespace CdnPlatform.Cluster.Tests;

public sealed class InMemoryPurgeBusTests : PurgeBusContract
{
    protected override Task<(IPurgeBus Control, IPurgeBus Edge)> ConnectAsync()
    {
        var bus = new InMemoryPurgeBus();
        return Task.FromResult<(IPurgeBus, IPurgeBus)>((bus, bus));
    }

    [Fact]
    public void Transport_IsNamedMemory() => Assert.Equal("memory", new InMemoryPurgeBus().Transport);
}
