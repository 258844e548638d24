using CdnPlatform.LoadTest.Recording;
using CdnPlatform.LoadTest.Tests.Http;
using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Tests.Workload;

public sealed class JourneysLatencyTests
{
    [Fact]
    public async Task ALatencyEndsAtTheAnswersLastByteNotWhenTheToolHasDoneWithIt()
    {
        await using var server = ScriptedServer.AnsweringEvery("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nCache-Status: Edge; hit\r\n\r\nok");
        var clock = new SteppingClock();
        var tracePath = Path.Combine(Path.GetTempPath(), $"cdnload-latency-{Guid.NewGuid():N}.csv");
        try
        {
            var trace = new RequestTrace(tracePath);
            // Readings, one millisecond apart: 1 the recorder's start, 2 the intended time, 3 the send, 4 the answer's last
            // byte. Anything read later (the pool, the journey, the recorder) must not lengthen the latency.
            var recorder = new LoadRecorder(["ams"], clock) { Trace = trace };
            using var client = new SiteClient(new PopTarget("ams", server.Address), "www.shop.test", 1, TimeSpan.FromSeconds(5), clock);
            var journeys = new Journeys([client], new ShopCatalog(["/"], []), 0, recorder, clock);

            await journeys.BrowseAsync(0, clock.GetTimestamp(), CancellationToken.None);
            await trace.DisposeAsync();

            var line = File.ReadAllLines(tracePath)[1].Split(',');
            // Due at the intended time, 1 ms after the recorder started; 2 ms of latency from it, 1 ms of service from the send.
            Assert.Equal(("0.001000", "200", "2.000", "1.000"), (line[0], line[4], line[6], line[7]));
        }
        finally
        {
            File.Delete(tracePath);
        }
    }
}
