using CdnPlatform.Edge.Storage;

namespace CdnPlatform.Edge.Tests;

public sealed class NativeHeapTests
{
    [Fact]
    public void On_glibc_the_edge_sets_one_arena_and_maps_large_bodies_on_their_own()
    {
        Assert.Null(Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX"));
        Assert.Null(Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_"));

        Assert.Equal($"glibc: one arena set, mmap from {NativeHeap.MapThresholdBytes} bytes set", NativeHeap.TuneForBodies());
    }
}
