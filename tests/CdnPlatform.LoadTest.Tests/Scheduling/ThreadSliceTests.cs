using CdnPlatform.LoadTest.Scheduling;

namespace CdnPlatform.LoadTest.Tests.Scheduling;

public sealed class ThreadSliceTests
{
    private static readonly TimeSpan Short = ThreadSlice.Shortest;

    [Fact]
    public async Task TheThreadKeepsItsShortSliceAndThreadsItStartsGetTheDefault()
    {
        var callers = ThreadSlice.Current();
        (bool Set, TimeSpan? Own, TimeSpan? Started) seen = default;
        await DedicatedThread.Run("cdnload test slice", lowestPriority: false, () =>
        {
            var set = ThreadSlice.SetShort(Short);
            var own = ThreadSlice.Current();
            TimeSpan? started = null;
            var child = new Thread(() => started = ThreadSlice.Current());
            child.Start();
            child.Join();
            seen = (set, own, started);
        });
        Assert.True(seen.Set);
        Assert.Equal(Short, seen.Own);
        // Reset on fork: a pool worker the dispatcher happens to start must not take cores as eagerly as it does.
        Assert.Equal(callers, seen.Started);
        Assert.NotEqual(Short, callers);
        Assert.Equal(callers, ThreadSlice.Current());
    }

    [Fact]
    public async Task AskingForASliceKeepsTheThreadsNiceValue()
    {
        // sched_setattr sets the nice value with the slice: passing 0 would lift a thread run at nice 19 (where the
        // process runs as root) or fail outright (where it does not).
        // Not the shortest: a lowest-priority thread already runs with that one (DedicatedThread), and the slice read back
        // must be the one asked for here.
        var asked = TimeSpan.FromMilliseconds(0.3);
        (bool Set, int? Nice, TimeSpan? Slice) seen = default;
        await DedicatedThread.Run("cdnload test slice", lowestPriority: true, () =>
            seen = (ThreadSlice.SetShort(asked), ThreadNiceness.Current(), ThreadSlice.Current()));
        Assert.Equal((true, 19, asked), (seen.Set, seen.Nice, seen.Slice));
    }
}
