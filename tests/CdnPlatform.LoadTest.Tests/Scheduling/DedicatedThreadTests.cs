using CdnPlatform.LoadTest.Scheduling;

namespace CdnPlatform.LoadTest.Tests.Scheduling;

public sealed class DedicatedThreadTests
{
    [Fact]
    public async Task TheBodyRunsOnItsOwnNamedThreadOutsideThePool()
    {
        string? name = null;
        bool? pooled = null;
        await DedicatedThread.Run("cdnload test loop", lowestPriority: false, () =>
        {
            name = Thread.CurrentThread.Name;
            pooled = Thread.CurrentThread.IsThreadPoolThread;
        });
        Assert.Equal("cdnload test loop", name);
        Assert.False(pooled);
    }

    [Fact]
    public async Task ALowestPriorityThreadRunsAtNice19WithTheShortestSliceAndTheCallerKeepsItsOwn()
    {
        var before = (Nice: ThreadNiceness.Current(), Slice: ThreadSlice.Current());
        (int? Nice, TimeSpan? Slice) inside = default;
        await DedicatedThread.Run("cdnload test sampler", lowestPriority: true, () => inside = (ThreadNiceness.Current(), ThreadSlice.Current()));
        // Nice 19 for the least share of a busy core; the shortest slice so it also gives the core up to a thread that
        // wakes there (the sampler's close held a pool worker with an answer off its core 3.8 ms without it).
        Assert.Equal((19, ThreadSlice.Shortest), inside);
        // Linux keeps both per thread: the loop's must not change the thread that started it.
        Assert.Equal(before, (ThreadNiceness.Current(), ThreadSlice.Current()));
        Assert.NotEqual(19, before.Nice);
        Assert.NotEqual(ThreadSlice.Shortest, before.Slice);
    }

    [Fact]
    public async Task TheTaskIsEndedByAThreadAtTheCallersPriority()
    {
        var before = ThreadNiceness.Current();
        var loop = DedicatedThread.Run("cdnload test sampler", lowestPriority: true, () => { });
        // Runs on the thread that ends the task: from the loop's own, at 19, the pool workers it would start from there
        // would be born at 19 too.
        var ender = await loop.ContinueWith(
            _ => (Nice: ThreadNiceness.Current(), Name: Thread.CurrentThread.Name),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Assert.Equal(before, ender.Nice);
        Assert.NotEqual("cdnload test sampler", ender.Name);
    }

    [Fact]
    public async Task NoPoolWorkerIsLeftAtTheLoopsPriority()
    {
        // Every worker the pool has is held busy while the loop ends, and the pool may start more at once: whatever runs
        // the awaiting code next is a worker started by the thread that ended the task, with that thread's nice value.
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        using var release = new ManualResetEventSlim();
        var held = ThreadPool.ThreadCount;
        var holding = 0;
        ThreadPool.SetMinThreads(Math.Max(minWorkers, held + 8), minIo);
        int? resumedAt;
        try
        {
            for (var i = 0; i < held; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_ =>
                {
                    Interlocked.Increment(ref holding);
                    release.Wait();
                }, null);
            }
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref holding) == held, TimeSpan.FromSeconds(10)));
            resumedAt = await DedicatedThread.Run("cdnload test sampler", lowestPriority: true, () => { })
                .ContinueWith(_ => ThreadNiceness.Current(), TaskScheduler.Default);
        }
        finally
        {
            release.Set();
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }
        Assert.NotEqual(19, resumedAt);

        // And no worker the pool keeps is at 19: enough short waits to keep them all busy at once, each telling its own.
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<int, int?>();
        await Task.WhenAll(Enumerable.Range(0, 4 * (ThreadPool.ThreadCount + 2)).Select(_ => Task.Run(() =>
        {
            seen[Environment.CurrentManagedThreadId] = ThreadNiceness.Current();
            Thread.Sleep(20);
        })));
        Assert.DoesNotContain(seen, worker => worker.Value == 19);
    }

    [Fact]
    public async Task AnExceptionInTheBodyFaultsTheTask()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => DedicatedThread.Run("cdnload failing loop", lowestPriority: true, () => throw new InvalidOperationException("broken loop")));
        Assert.Equal("broken loop", e.Message);
    }
}
