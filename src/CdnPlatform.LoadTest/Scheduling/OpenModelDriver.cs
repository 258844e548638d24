using System.Collections.Concurrent;
using HdrHistogram;
using CdnPlatform.LoadTest.Http;
using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Scheduling;

/// <summary>
/// Sends requests at their intended times, whatever the server does: a dispatcher thread walks the
/// <see cref="ArrivalSchedule"/> and starts every arrival that is due without waiting for the ones before it. A request
/// that has to queue (every connection busy, a stalled server) still counts from its intended time, so the stall shows
/// in the latencies — the open model of k6's arrival-rate executors and wrk2. A shopper's step goes to an idle shopper,
/// or a new one when all are busy, so a slow answer means more visitors at once, as in a real sale.
/// </summary>
public sealed class OpenModelDriver(LoadCurve curve, JourneyMix mix, Journeys journeys, int pops, TimeProvider time)
{
    private readonly ConcurrentQueue<Shopper> _idleShoppers = new();
    private int _shoppers;

    public InFlight InFlight { get; } = new();

    // How close to an arrival the dispatcher stops sleeping and waits awake: above nanosleep's usual overshoot here (~0.1 ms).
    private static readonly TimeSpan AwakeWindow = TimeSpan.FromMilliseconds(0.2);

    // How long before the next arrival the dispatcher stops waiting for an answer on its own thread: its awake window
    // and a little for ppoll's own lateness.
    private static readonly TimeSpan ReadMargin = AwakeWindow + TimeSpan.FromMilliseconds(0.1);

    // Arrivals at least this far apart are waited for spinning; closer ones (over 1,000/s), yielding. See WaitUntil.
    private static readonly TimeSpan SpinningGap = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// How late the dispatcher started each arrival, in microseconds: the generator's own lag (a core taken from it, a
    /// GC), which the latencies include since they count from the intended time. Written by the dispatcher thread
    /// only; read after <see cref="RunAsync"/> ended.
    /// </summary>
    public LongHistogram SendLag { get; } = Recording.GroupRecorder.NewHistogram();

    /// <summary>
    /// The scheduler slice the dispatcher ran with, as the kernel reported it once asked for the shortest; null where it
    /// cannot be read (not Linux on x86-64). Set by the dispatcher thread as it starts.
    /// </summary>
    public TimeSpan? DispatcherSliceInEffect { get; private set; }

    /// <summary>Shoppers the run needed at once: the visitors a peak made.</summary>
    public int Shoppers => Volatile.Read(ref _shoppers);

    /// <summary>Runs the schedule to its end or until <paramref name="stop"/>; returns when the last arrival was sent.</summary>
    /// <param name="requests">Cancels requests in flight (Ctrl+C); not cancelled at a normal end, when they are waited for.</param>
    public Task RunAsync(long start, CancellationToken stop, CancellationToken requests) =>
        DedicatedThread.Run("cdnload open-model dispatcher", lowestPriority: false, () => Dispatch(start, stop, requests));

    private void Dispatch(long start, CancellationToken stop, CancellationToken requests)
    {
        // The shortest slice the kernel grants, so the dispatcher's wake-up takes its core at once (ThreadSlice). Refused or
        // unknown (an old kernel, another system): it keeps the default slice, and may leave late when a thread that has
        // just started on its core holds it.
        ThreadSlice.SetShort(ThreadSlice.Shortest);
        DispatcherSliceInEffect = ThreadSlice.Current();
        var schedule = new ArrivalSchedule(curve);
        var shopShare = mix.ShopShare;
        long arrival = 0;
        // One arrival ahead, so each request knows when the next is due: until then the dispatcher's thread may read its
        // answer itself (DispatcherReadWindow).
        var due = schedule.TryNext(out var offset);
        var previous = TimeSpan.Zero;
        while (due && !stop.IsCancellationRequested)
        {
            WaitUntil(start, offset, spin: offset - previous >= SpinningGap, stop);
            previous = offset;
            if (stop.IsCancellationRequested)
            {
                return;
            }
            // The intended time, not now: a late dispatch still counts from when the request was due.
            var intended = At(start, offset);
            var lag = (time.GetTimestamp() - intended) * 1_000_000 / time.TimestampFrequency;
            SendLag.RecordValue(Math.Clamp(lag, 1, SendLag.HighestTrackableValue));
            var pop = (int)(arrival++ % pops);
            due = schedule.TryNext(out offset);
            if (due)
            {
                // Ends early enough to leave the usual wake-up before the next arrival (its yield window) intact.
                DispatcherReadWindow.Open(time, At(start, offset) - (long)(ReadMargin.TotalSeconds * time.TimestampFrequency));
            }
            InFlight.Enter();
            try
            {
                _ = shopShare > 0 && Random.Shared.NextDouble() < shopShare
                    ? ShopAsync(intended, pop, requests)
                    : BrowseAsync(intended, pop, requests);
            }
            finally
            {
                DispatcherReadWindow.Close();
            }
        }
    }

    private long At(long start, TimeSpan offset) => start + (long)(offset.TotalSeconds * time.TimestampFrequency);

    private async Task BrowseAsync(long intended, int pop, CancellationToken requests)
    {
        try
        {
            await journeys.BrowseAsync(pop, intended, requests);
        }
        finally
        {
            InFlight.Exit();
        }
    }

    private async Task ShopAsync(long intended, int pop, CancellationToken requests)
    {
        if (!_idleShoppers.TryDequeue(out var shopper))
        {
            shopper = new Shopper(Interlocked.Increment(ref _shoppers) - 1, pop);
        }
        try
        {
            await journeys.ShopAsync(shopper, intended, requests);
        }
        finally
        {
            _idleShoppers.Enqueue(shopper);
            InFlight.Exit();
        }
    }

    // Sleeps in whole milliseconds while the next arrival is far, then in fractions of one (nanosleep) until 0.2 ms
    // before it, then waits awake until it is due. A sleep alone would send up to a millisecond late, which the latencies
    // would carry; staying awake the whole last 1.5 ms (as first built) cost a fifth of a core in system time at 300
    // requests/s on a 2-core machine shared with the server under test (bench/RESULTS.md has the paired runs).
    // Awake means spinning when arrivals are at least a millisecond apart: a yield hands the core to whatever else is
    // runnable there (the sampler's close, a pool worker, the server) for that thread's whole slice, and a thread that
    // yielded does not wake, so its short slice does not take the core back; at each second's close that sent the next
    // arrival 2–4 ms late. Closer arrivals yield as before: spinning 0.2 ms of every millisecond or less would hold a core
    // the server and the tool's own receiving threads need.
    private void WaitUntil(long start, TimeSpan offset, bool spin, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var remaining = offset - time.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }
            if (remaining > TimeSpan.FromMilliseconds(1.5))
            {
                Thread.Sleep(remaining > TimeSpan.FromMilliseconds(20) ? 10 : 1);
            }
            else if (remaining > AwakeWindow + TimeSpan.FromMilliseconds(0.05) && PreciseSleep.Available)
            {
                PreciseSleep.Sleep(remaining - AwakeWindow);
            }
            else if (spin)
            {
                Thread.SpinWait(10);
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
