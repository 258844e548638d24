using System.Runtime.ExceptionServices;

namespace CdnPlatform.Caching.Tests;

/// <summary>Runs bodies on dedicated threads released together by a barrier (not pool tasks, which a blocking barrier would starve on a small machine).</summary>
internal static class Concurrently
{
    public static void Run(int threads, Action<int> body) => Run(Enumerable.Range(0, threads).Select(i => (Action)(() => body(i))).ToArray());

    public static void Run(params Action[] bodies)
    {
        using var barrier = new Barrier(bodies.Length);
        var failures = new Exception?[bodies.Length];
        var started = bodies.Select((body, i) =>
        {
            var thread = new Thread(() =>
            {
                try
                {
                    barrier.SignalAndWait();
                    body();
                }
                catch (Exception e)
                {
                    failures[i] = e;
                }
            }) { IsBackground = true };
            thread.Start();
            return thread;
        }).ToArray();
        foreach (var thread in started)
        {
            thread.Join();
        }
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }
}
