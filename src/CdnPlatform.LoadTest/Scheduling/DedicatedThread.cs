namespace CdnPlatform.LoadTest.Scheduling;

/// <summary>
/// Runs a loop that must keep its own time on a thread of its own, outside the thread pool (whose threads the request
/// path's continuations and the pool's timers share), and hands back a task that ends with it.
/// </summary>
internal static class DedicatedThread
{
    /// <param name="lowestPriority">Run at nice 19 (Linux): for work that measures rather than loads, so a core it holds
    /// is given up the moment a request's thread or the server's wakes.</param>
    public static Task Run(string name, bool lowestPriority, Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                if (lowestPriority)
                {
                    ThreadNiceness.SetLowest();
                }
                body();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }
}
