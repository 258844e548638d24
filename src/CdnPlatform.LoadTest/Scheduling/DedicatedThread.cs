using System.Runtime.ExceptionServices;

namespace CdnPlatform.LoadTest.Scheduling;

/// <summary>
/// Runs a loop that must keep its own time on a thread of its own, outside the thread pool (whose threads the request
/// path's continuations and the pool's timers share), and hands back a task that ends with it.
/// </summary>
internal static class DedicatedThread
{
    /// <param name="lowestPriority">Run at nice 19 (Linux): for work that measures rather than loads, so it gets the least
    /// share of a busy core. Nice alone does not make it give a core up to a thread that wakes: under EEVDF a thread keeps
    /// a core it was just given for its slice, whatever its nice value, so the thread that must not wait asks for a short
    /// slice of its own (<see cref="ThreadSlice"/>).</param>
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
