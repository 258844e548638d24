namespace CdnPlatform.Testing;

/// <summary>
/// The bytes one call allocates on the calling thread once the runtime has settled: the least over calls made in batches
/// spread over a little time, since the first calls of shared generic code may allocate in the runtime's own caches.
/// Projects that use it run without tiered compilation (their csproj says why): tier-0 code can stay in place for a
/// whole test and allocate where the optimised code does not.
/// </summary>
public static class SteadyAllocation
{
    public static long PerCall(Action call)
    {
        var least = long.MaxValue;
        for (var batch = 0; batch < 30 && least > 0; batch++)
        {
            for (var i = 0; i < 10; i++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                call();
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Thread.Sleep(20);
        }
        return least;
    }
}
