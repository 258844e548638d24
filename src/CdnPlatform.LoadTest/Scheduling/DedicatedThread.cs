using System.Runtime.ExceptionServices;

namespace CdnPlatform.LoadTest.Scheduling;

/// <summary>
/// Runs a loop that must keep its own time on a thread of its own, outside the thread pool (whose threads the request
/// path's continuations and the pool's timers share), and hands back a task that ends with it.
/// </summary>
internal static class DedicatedThread
{
    /// <param name="lowestPriority">Run at nice 19 with the shortest slice (Linux): for work that measures rather than
    /// loads, so it gets the least share of a busy core and gives its core up to any thread that wakes there. Nice alone
    /// does not do the second: under EEVDF a thread keeps a core it was just given for its slice (1.4 ms on 2 cores),
    /// whatever its nice value, and in a <c>perf sched</c> trace on a 250 Hz kernel it ran on to the tick, 4 ms: the
    /// sampler's close held a core that way while the pool worker with a request's answer waited 3.8 ms for it
    /// (bench/RESULTS.md). With a 0.1 ms slice, a nice-19 thread has overrun its share at the first wake-up after 0.1 ms
    /// and the waking thread is chosen: traced again with it, pool workers woken on the sampler's core during its close
    /// waited 0.02–0.05 ms. A thread slowed in the kernel (this kernel is not preemptible) still keeps the core.</param>
    public static Task Run(string name, bool lowestPriority, Action body)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (lowestPriority)
                {
                    ThreadNiceness.SetLowest();
                    ThreadSlice.SetShort(ThreadSlice.Shortest);
                }
                body();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        // The task is ended by a thread started here, at the caller's priority, never by the loop's own: a Linux thread is
        // born with its creator's nice value, and completing a task queues its continuations to the pool, which may start
        // a worker on the queuing thread. Completed from the loop, that worker (and all the pool work it ever ran) would
        // have stayed at nice 19; a CI run caught the awaiting code resuming on one.
        return Task.Factory.StartNew(() =>
        {
            thread.Join();
            failure?.Throw();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
