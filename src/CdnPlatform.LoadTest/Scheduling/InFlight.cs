namespace CdnPlatform.LoadTest.Scheduling;

/// <summary>Counts requests sent and not yet ended, so a run that stops can wait for the ones still out (they count too).</summary>
public sealed class InFlight
{
    private long _count;
    private TaskCompletionSource _idle = NewIdle(completed: true);

    public long Count => Interlocked.Read(ref _count);

    public void Enter()
    {
        if (Interlocked.Increment(ref _count) == 1)
        {
            Interlocked.Exchange(ref _idle, NewIdle(completed: false));
        }
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            Volatile.Read(ref _idle).TrySetResult();
        }
    }

    /// <summary>Completes when nothing is in flight (at once if nothing is).</summary>
    public Task IdleAsync() => Count == 0 ? Task.CompletedTask : Volatile.Read(ref _idle).Task;

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            idle.SetResult();
        }
        return idle;
    }
}
