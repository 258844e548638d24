using CdnPlatform.LoadTest.Events;
using CdnPlatform.LoadTest.Recording;
using CdnPlatform.LoadTest.Reporting;
using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Scheduling;
using CdnPlatform.LoadTest.Thresholds;
using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Running;

/// <summary>
/// One run of a scenario: reads the site's sitemap through every POP (an unreachable POP stops it before any load),
/// drives the load with the scenario's model, closes one timeline second per second (reported to the progress as it
/// goes), runs the scenario's events beside it, waits for the requests still out at the end, and builds the report.
/// </summary>
public sealed class LoadRun(Scenario scenario, RunSettings settings, IRunProgress progress, TimeProvider time)
{
    private static readonly TimeSpan PrepareTimeout = TimeSpan.FromSeconds(5);

    // Requests/s per POP while warming up: enough calls for the JIT to tier every method of the path up within a
    // second, few enough not to load a small edge.
    private const double WarmUpRate = 200;

    /// <param name="interrupt">Ctrl+C: stops the load at once, drops the requests in flight, and still reports what ran.</param>
    /// <exception cref="TargetUnreachableException">A POP does not answer, or does not serve the site.</exception>
    public async Task<LoadReport> RunAsync(CancellationToken interrupt)
    {
        var thresholds = scenario.Thresholds.Select(t => Threshold.TryParse(t, out var parsed, out var error) ? parsed! : throw new ScenarioException(error!)).ToList();
        var clients = settings.Targets.Select(t => new SiteClient(t, scenario.Site, scenario.Connections, scenario.Timeout, time)).ToList();
        try
        {
            var catalog = await PrepareAsync(clients, interrupt);
            await WarmUpAsync(clients, interrupt);
            await using var trace = settings.TracePath is { } tracePath ? new RequestTrace(tracePath) : null;
            var recorder = new LoadRecorder([.. settings.Targets.Select(t => t.Name)], time) { Trace = trace };
            var journeys = new Journeys(clients, catalog, scenario.Zipf, recorder, time);
            var curve = new LoadCurve(scenario.Start, scenario.Stages);
            var events = LoadEvents.For(scenario, clients, catalog, settings);

            using var requests = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
            // Socket reads are not handed the token (see Http1Connection): cancelling closes the connections instead.
            using var abort = requests.Token.Register(() => clients.ForEach(c => c.Abort()));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
            var startedAt = time.GetUtcNow();
            recorder.Started();
            var start = time.GetTimestamp();
            using var sampling = new CancellationTokenSource();
            var sampler = SampleAsync(recorder, curve, sampling.Token);
            var eventTasks = events.Select(e => e.RunAsync(recorder, stop.Token)).ToList();

            InFlight inFlight;
            LatencySummary? sendLag = null;
            if (scenario.Model == LoadModel.Open)
            {
                var driver = new OpenModelDriver(curve, scenario.Mix, journeys, clients.Count, time);
                inFlight = driver.InFlight;
                await driver.RunAsync(start, stop.Token, requests.Token);
                sendLag = GroupRecorder.Summarize(driver.SendLag, driver.SendLag.TotalCount);
            }
            else
            {
                var driver = new ClosedModelDriver(curve, scenario.ThinkTime, scenario.Mix, journeys, clients.Count, time);
                inFlight = driver.InFlight;
                await driver.RunAsync(start, stop.Token, requests.Token);
            }
            await stop.CancelAsync();
            // The requests still out at the end count (a stall at the very end must show); a Ctrl+C drops them.
            if (!interrupt.IsCancellationRequested)
            {
                await Settle(inFlight.IdleAsync(), scenario.Timeout + TimeSpan.FromSeconds(1), interrupt);
            }
            await requests.CancelAsync();
            await Settle(inFlight.IdleAsync(), TimeSpan.FromSeconds(5), default);
            var duration = recorder.Elapsed;

            await sampling.CancelAsync();
            await sampler;
            if (recorder.Timeline.Count == 0 || duration.TotalSeconds > recorder.Timeline.Count + 0.05)
            {
                progress.OnSecond(recorder.CloseSecond(TargetRate(curve, recorder.Timeline.Count)), duration, curve.Duration);
            }
            foreach (var marked in recorder.TakeNewEvents())
            {
                progress.OnEvent(marked);
            }
            // Events settle after the load: a purge sent in the last second is still followed to every edge.
            await Settle(Task.WhenAll(eventTasks), TimeSpan.FromSeconds(35), default);
            return recorder.Report(scenario.Name, scenario.Model == LoadModel.Open ? "open" : "closed", startedAt, duration,
                scenario.Model == LoadModel.Open ? Math.Round(curve.Mean(), 2) : null, thresholds, interrupted: interrupt.IsCancellationRequested) with { SendLag = sendLag };
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        double? TargetRate(LoadCurve curve, int second) =>
            scenario.Model == LoadModel.Open ? curve.ValueAt(TimeSpan.FromSeconds(second + 0.5)) : null;

        // The sampler closes a second of every group once a second (0.3–3 ms of histogram work) on a thread of its own
        // at the lowest priority: on the thread pool, at the normal one, it delayed the requests answered just after each
        // second's close (the slowest 1 % of a quiet 300 rps run clustered 3 ms after it; bench/RESULTS.md). At nice 19
        // alone it still held its core for its whole close against the dispatcher and the pool worker reading an answer;
        // with the shortest slice as well it gives the core up to either as it wakes (DedicatedThread).
        Task SampleAsync(LoadRecorder recorder, LoadCurve curve, CancellationToken cancellationToken) =>
            DedicatedThread.Run("cdnload sampler", lowestPriority: true, () =>
            {
                var begun = time.GetTimestamp();
                for (var second = 0; ; second++)
                {
                    var remaining = TimeSpan.FromSeconds(second + 1) - time.GetElapsedTime(begun);
                    // Waits out the second, or only looks at the token when the close is already late.
                    if (cancellationToken.WaitHandle.WaitOne(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero))
                    {
                        return;
                    }
                    var closed = recorder.CloseSecond(TargetRate(curve, second));
                    progress.OnSecond(closed, recorder.Elapsed, curve.Duration);
                    foreach (var marked in recorder.TakeNewEvents())
                    {
                        progress.OnEvent(marked);
                    }
                }
            });
    }

    /// <summary>Reads the sitemap through every POP: a POP that cannot serve it would make the whole run a list of errors.</summary>
    private async Task<ShopCatalog> PrepareAsync(List<SiteClient> clients, CancellationToken cancellationToken)
    {
        ShopCatalog? catalog = null;
        foreach (var client in clients)
        {
            SiteAnswer answer;
            try
            {
                answer = await client.GetAsync("/sitemap.xml", null, text: true, cancellationToken).WaitAsync(PrepareTimeout, time, cancellationToken);
            }
            catch (Exception e) when (ResponseClassifier.IsTransportFailure(e) && !cancellationToken.IsCancellationRequested)
            {
                throw new TargetUnreachableException($"target {client.Pop.Name} ({client.Pop.Address}) is unreachable: {Reason(e)}");
            }
            if (answer.Status != 200)
            {
                throw new TargetUnreachableException(
                    $"target {client.Pop.Name} ({client.Pop.Address}) answered {answer.Status} for http://{scenario.Site}/sitemap.xml: is it an edge serving {scenario.Site}?");
            }
            catalog ??= ShopCatalog.FromSitemap(answer.Text!, scenario.Pages);
        }
        if (catalog is null || catalog.Pages.Count == 0)
        {
            throw new TargetUnreachableException($"the sitemap of {scenario.Site} lists no pages to load");
        }
        if (scenario.Mix.Shop > 0 && catalog.Products.Count == 0)
        {
            throw new TargetUnreachableException($"the sitemap of {scenario.Site} lists no product pages (/products/N) for shoppers");
        }
        return catalog;
    }

    private async Task Settle(Task task, TimeSpan atMost, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(atMost, time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // What is still out by then is dropped: the report is of what ended.
        }
    }

    /// <summary>
    /// Runs the open model's whole request path — dispatcher, journeys, HTTP client, recorder — on the sitemap for
    /// <see cref="Scenario.WarmUp"/> and throws its figures away, so the measured load starts with compiled code and
    /// open connections. The sitemap, read once already by every POP, is what the run can read without changing what
    /// the edges hold of the pages.
    /// </summary>
    private async Task WarmUpAsync(List<SiteClient> clients, CancellationToken interrupt)
    {
        if (scenario.WarmUp <= TimeSpan.Zero)
        {
            return;
        }
        var discarded = new LoadRecorder([.. settings.Targets.Select(t => t.Name)], time);
        discarded.Started();
        var journeys = new Journeys(clients, new ShopCatalog(["/sitemap.xml"], []), 0, discarded, time);
        var rate = WarmUpRate * clients.Count;
        var driver = new OpenModelDriver(new LoadCurve(rate, [new Stage(scenario.WarmUp, rate)]), new JourneyMix(1, 0), journeys, clients.Count, time);
        await driver.RunAsync(time.GetTimestamp(), interrupt, interrupt);
        await Settle(driver.InFlight.IdleAsync(), scenario.Timeout, interrupt);
        // The sampler's close compiled here rather than at the measured load's first second: with tiering off each method
        // is fully optimised at its first call. The first measured close took ~27 ms of CPU, ~17 ms with this (the rest
        // is the progress line's first call), where the others take 1–3 ms.
        discarded.CloseSecond(null);
    }

    private static string Reason(Exception e) => e switch
    {
        TimeoutException or TaskCanceledException => $"no answer within {PrepareTimeout.TotalSeconds:0}s",
        _ when e.InnerException is { } inner => inner.Message,
        _ => e.Message,
    };
}
