using CdnPlatform.LoadTest.Reporting;
using CdnPlatform.LoadTest.Terminal;
using Spectre.Console.Testing;
using static CdnPlatform.LoadTest.Tests.Terminal.TableRows;

namespace CdnPlatform.LoadTest.Tests.Terminal;

public sealed class LiveProgressTests
{
    private static readonly ProgressSnapshot Starting = ProgressSnapshot.Starting("browse", "open", ["ams", "fra"], TimeSpan.FromSeconds(30));

    [Fact]
    public void AFrameHasTheLastSecondForTheRunAndEachPop()
    {
        var lines = Render(Starting.WithSecond(SampleRun.Second, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(30)));

        Assert.Contains(lines, l => l.Contains("browse (open)") && l.Contains("12s of 30s") && l.Contains("40.0%"));
        AssertRow(lines, "all", "201", "200", "1.2ms", "4.8ms", "9.1ms", "97.3%", "2");
        AssertRow(lines, "ams", "100", "1.1ms", "4.1ms", "7.0ms", "98.0%", "0");
        AssertRow(lines, "fra", "101", "1.3ms", "5.2ms", "9.1ms", "—", "2");
        Assert.Contains(lines, l => l.Contains("so far: 201 requests, 2 errors (timeout 2)"));
    }

    [Fact]
    public void BeforeTheFirstSecondEveryPopHasAnEmptyRow()
    {
        var lines = Render(Starting);

        Assert.Contains(lines, l => l.Contains("waiting for the first second"));
        AssertRow(lines, "ams", "—", "—", "—", "—", "—", "—", "—");
        AssertRow(lines, "fra", "—", "—", "—", "—", "—", "—", "—");
    }

    [Fact]
    public void OnlyTheLastFewEventsShow()
    {
        var snapshot = Starting;
        for (var i = 1; i <= ProgressSnapshot.EventsShown + 2; i++)
        {
            snapshot = snapshot.WithEvent(new TimelineEvent(i, "purge", $"purge {i} of /products/{i}"));
        }
        var text = string.Join('\n', Render(snapshot));

        Assert.DoesNotContain("purge 1 of", text);
        Assert.DoesNotContain("purge 2 of", text);
        for (var i = 3; i <= ProgressSnapshot.EventsShown + 2; i++)
        {
            Assert.Contains($"purge {i} of /products/{i}", text);
        }
    }

    [Fact]
    public void SecondsAddUpToTheRunSoFar()
    {
        var progress = new LiveProgress(new TestConsole());
        progress.OnSecond(SampleRun.Second, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(30));
        progress.OnSecond(SampleRun.Second with { Second = 12, Errors = 1, ErrorsByKind = new Dictionary<string, long> { ["timeout"] = 1, ["reset"] = 1 } },
            TimeSpan.FromSeconds(13), TimeSpan.FromSeconds(30));
        progress.OnEvent(SampleRun.Purge);

        var latest = progress.Latest;
        Assert.Equal(12, latest.Last!.Second);
        Assert.Equal(TimeSpan.FromSeconds(13), latest.Elapsed);
        Assert.Equal(402, latest.Requests);
        Assert.Equal(3, latest.Errors);
        Assert.Equal(new Dictionary<string, long> { ["timeout"] = 3, ["reset"] = 1 }, latest.ErrorsByKind);
        Assert.Equal([SampleRun.Purge], latest.RecentEvents);
    }

    [Fact]
    public async Task StoppingDrawsTheLatestSecondAndLeavesItOnScreen()
    {
        var console = new TestConsole().Width(120);
        await using var progress = new LiveProgress(console);
        progress.Start(Starting);
        progress.OnSecond(SampleRun.Second, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(30));
        progress.OnEvent(SampleRun.Purge);

        await progress.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("purge 3 of /products/7", console.Output);
        Assert.Contains(console.Lines, l => l.Contains("ams") && l.Contains("4.1ms"));
    }

    private static List<string> Render(ProgressSnapshot snapshot)
    {
        var console = new TestConsole().Width(120);
        console.Write(LiveProgress.Build(snapshot));
        return [.. console.Lines];
    }
}
