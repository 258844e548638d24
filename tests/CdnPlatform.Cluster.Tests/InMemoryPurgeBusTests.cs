using CdnPlatform.Cluster.Purging;

namespace CdnPlatform.Cluster.Tests;

public sealed class InMemoryPurgeBusTests : PurgeBusContract
{
    internal static (IPurgeBus Control, IPurgeBus Edge) Connect(int? maxEntries)
    {
        // Every node of the process holds the same instance.
        var bus = maxEntries is { } max ? new InMemoryPurgeBus(maxEntries: max) : new InMemoryPurgeBus();
        return (bus, bus);
    }

    protected override Task<(IPurgeBus Control, IPurgeBus Edge)> ConnectAsync(int? maxEntries = null) =>
        Task.FromResult(Connect(maxEntries));

    [Fact]
    public void Transport_IsNamedMemory() => Assert.Equal("memory", new InMemoryPurgeBus().Transport);

    [Fact]
    public async Task Trimming_KeepsExactlyMaxEntries()
    {
        var bus = new InMemoryPurgeBus(maxEntries: 10);
        Assert.Equal(10, bus.MaxEntries);
        for (var i = 1; i <= 25; i++)
        {
            await bus.PublishAsync(Purges.Url($"p{i}"));
        }

        var slice = await bus.ReadAsync(0, 100);

        Assert.Equal(16, slice.FirstAvailable);
        Assert.Equal(25, slice.Last);
        Assert.Equal(Enumerable.Range(16, 10).Select(s => (long)s), slice.Entries.Select(e => e.Sequence));
        Assert.Equal([20L, 21], (await bus.ReadAsync(19, 2)).Entries.Select(e => e.Sequence));
    }
}

public sealed class InMemoryPurgeFollowerTests : PurgeFollowerContract
{
    protected override Task<(IPurgeBus Control, IPurgeBus Edge)> ConnectAsync(int? maxEntries = null) =>
        Task.FromResult(InMemoryPurgeBusTests.Connect(maxEntries));
}
