namespace CdnPlatform.Testing;

/// <summary>
/// The bytes one call allocates on the calling thread once the runtime has settled. Shared generic code before tier-1
/// may allocate in the runtime's own managed caches on its first calls (a full run saw 96 bytes in five calls in a row
/// from a method that allocates nothing), and tiering up waits for the call count and a background delay: so the call is
/// made in batches spread over a little time, and the least of all is the call's own cost.
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
