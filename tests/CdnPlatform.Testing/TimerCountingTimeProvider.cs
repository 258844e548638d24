using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also says how many of its timers are waiting to fire, which
/// FakeTimeProvider cannot. A back-off test needs it: the clock may be moved only once the code under test has
/// started its delay, or the delay starts from the moved time and never comes due.
/// </summary>
public sealed class TimerCountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _lock = new();
    // Each armed timer with the time it is next due.
    private readonly Dictionary<CountedTimer, DateTimeOffset> _armed = [];

    /// <summary>Timers with a due time that have neither fired (once, if not periodic) nor been disposed.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _armed.Count;
            }
        }
    }

    /// <summary>
    /// Whether a timer due at <paramref name="due"/> is waiting to fire, give or take the millisecond that
    /// <c>Task.Delay</c> truncates a delay to. A test that moves the clock to a time the code under test planned (a retry
    /// at <c>retryAt</c>) waits for this rather than for any timer: the code computes its delay from the clock and then
    /// creates the timer, and a clock moved in between would push the timer past the planned time, where the test
    /// never moves it.
    /// </summary>
    public bool HasTimerDueAt(DateTimeOffset due)
    {
        lock (_lock)
        {
            return _armed.Values.Any(at => at <= due && due - at < TimeSpan.FromMilliseconds(1));
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var counted = new CountedTimer(this);
        counted.Arm(dueTime, period);
        // A timer already due fires inside base.CreateTimer, before Inner is set: Fired needs only the counts.
        counted.Inner = base.CreateTimer(s =>
        {
            counted.Fired();
            callback(s);
        }, state, dueTime, period);
        return counted;
    }

    private sealed class CountedTimer(TimerCountingTimeProvider owner) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    owner._armed.Remove(this);
                }
                else
                {
                    owner._armed[this] = owner.GetUtcNow() + dueTime;
                }
            }
        }

        public void Fired()
        {
            lock (owner._lock)
            {
                if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
                {
                    owner._armed.Remove(this);
                }
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Arm(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
