using CdnPlatform.LoadTest.Recording;
using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Scheduling;
using CdnPlatform.LoadTest.Tests.Http;
using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Tests.Scheduling;

public sealed class OpenModelDriverTests
{
    [Fact]
    public async Task TheDispatcherRunsWithTheShortestSliceAndSendsEveryArrival()
    {
        await using var server = ScriptedServer.AnsweringEvery("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        var time = TimeProvider.System;
        var recorder = new LoadRecorder(["ams"], time);
        using var client = new SiteClient(new PopTarget("ams", server.Address), "www.shop.test", 2, TimeSpan.FromSeconds(5), time);
        var journeys = new Journeys([client], new ShopCatalog(["/"], []), 0, recorder, time);
        // 200 requests/s for 0.1 s: arrivals 5 ms apart, so the dispatcher also waits awake before each (spinning).
        var driver = new OpenModelDriver(new LoadCurve(200, [new Stage(TimeSpan.FromSeconds(0.1), 200)]), new JourneyMix(1, 0), journeys, 1, time);
        var callers = ThreadSlice.Current();

        await driver.RunAsync(time.GetTimestamp(), CancellationToken.None, CancellationToken.None);
        await driver.InFlight.IdleAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(0.1), driver.DispatcherSliceInEffect);
        Assert.Equal(callers, ThreadSlice.Current());
        Assert.Equal(20, driver.SendLag.TotalCount);
        recorder.CloseSecond(null);
        Assert.Equal(20, recorder.Timeline.Sum(s => s.Requests));
    }
}
