using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Scheduling;

/// <summary>
/// N virtual users, each sending its next request when the last one answered and it thought for
/// <c>thinkTime</c> (wrk, k6's VUs). The number of users follows the curve. Latency counts from the actual send: a stalled
/// server holds every user back, so the requests it would have got are never sent and never measured — the coordinated
/// omission an open model avoids; the closed model is here because it is what many tools do, and to show the difference.
/// </summary>
public sealed class ClosedModelDriver(LoadCurve curve, TimeSpan thinkTime, JourneyMix mix, Journeys journeys, int pops, TimeProvider time)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private volatile bool _ended;

    public InFlight InFlight { get; } = new();

    /// <param name="stop">Ends the run: each user finishes the request it is on.</param>
    /// <param name="requests">Cancels requests in flight (Ctrl+C).</param>
    public async Task RunAsync(long start, CancellationToken stop, CancellationToken requests)
    {
        var users = new List<Task>();
        var peak = (int)Math.Ceiling(Math.Max(curve.Start, curve.Stages.Max(s => s.Target)));
        for (var u = 0; u < peak; u++)
        {
            var user = u;
            users.Add(Task.Run(() => UserAsync(user, start, stop, requests), CancellationToken.None));
        }
        try
        {
            await Task.Delay(curve.Duration - time.GetElapsedTime(start) is { } left && left > TimeSpan.Zero ? left : TimeSpan.Zero, time, stop);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _ended = true;
        }
        await Task.WhenAll(users);
    }

    private async Task UserAsync(int user, long start, CancellationToken stop, CancellationToken requests)
    {
        var pop = user % pops;
        var shopper = new Shopper(user, pop);
        var shopShare = mix.ShopShare;
        while (!_ended && !stop.IsCancellationRequested)
        {
            // A user beyond the curve's current count waits for the ramp to reach it.
            if (user >= Math.Round(curve.ValueAt(time.GetElapsedTime(start))))
            {
                await DelayAsync(Tick, stop);
                continue;
            }
            InFlight.Enter();
            try
            {
                // The actual send time: what a closed-loop tool measures from.
                var sent = time.GetTimestamp();
                if (shopShare > 0 && Random.Shared.NextDouble() < shopShare)
                {
                    await journeys.ShopAsync(shopper, sent, requests);
                }
                else
                {
                    await journeys.BrowseAsync(pop, sent, requests);
                }
            }
            finally
            {
                InFlight.Exit();
            }
            if (thinkTime > TimeSpan.Zero)
            {
                await DelayAsync(thinkTime, stop);
            }
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, time, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
