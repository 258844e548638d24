using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Terminal;
using CdnPlatform.LoadTest.Workload;
using Spectre.Console.Testing;

namespace CdnPlatform.LoadTest.Tests.Terminal;

public sealed class ConsoleSessionTests
{
    private static readonly PopTarget[] Targets = [new("ams", new Uri("http://127.0.10.1:8080")), new("fra", new Uri("http://127.0.20.1:8080/"))];

    [Fact]
    public void TheAnnouncementNamesTheScenarioModelDurationAndTargets()
    {
        var browse = BuiltInScenarios.Resolve("browse").Rescale(50, TimeSpan.FromSeconds(5));
        Assert.Equal("browse: open model, 5s, up to 50 req/s via ams http://127.0.10.1:8080, fra http://127.0.20.1:8080",
            ConsoleSession.Announcement(browse, Targets));
    }

    [Fact]
    public void AClosedScenarioCountsUsers()
    {
        var closed = BuiltInScenarios.Resolve("browse") with { Model = LoadModel.Closed, Start = 8, Stages = [new Stage(TimeSpan.FromMinutes(2), 8)] };
        Assert.StartsWith("browse: closed model, 2m, up to 8 users via", ConsoleSession.Announcement(closed, Targets));
    }

    [Fact]
    public async Task APlainSessionWritesLinesThenTheSummaryAndNoJson()
    {
        var console = new TestConsole().Width(ConsoleSession.RedirectedWidth);
        var lines = new StringWriter();
        await using (var session = new ConsoleSession(console, lines))
        {
            session.Announce(BuiltInScenarios.Resolve("browse"), Targets);
            session.Progress.OnSecond(SampleRun.Second, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(30));
            await session.CompleteAsync(SampleRun.Report());
        }

        Assert.StartsWith("[  12s/30s] 201 req/s", lines.ToString());
        Assert.StartsWith("browse: open model, 30s", console.Output);
        Assert.Contains("POP fra", console.Output);
        Assert.DoesNotContain("\"scenario\"", console.Output);
        Assert.DoesNotContain("\"scenario\"", lines.ToString());
    }

    [Fact]
    public async Task ALiveSessionGivesTheTerminalBackWithoutComplete()
    {
        var console = new TestConsole().Width(120).EmitAnsiSequences();
        var session = new ConsoleSession(console, null);
        Assert.IsType<LiveProgress>(session.Progress);
        session.Announce(BuiltInScenarios.Resolve("browse"), Targets);
        session.Progress.OnSecond(SampleRun.Second, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(30));

        await session.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("5.2ms", console.Output);
        // The live view hid the cursor while it drew; stopping shows it again.
        Assert.Contains("\u001b[?25l", console.Output);
        Assert.EndsWith("\u001b[?25h", console.Output.TrimEnd());
        Assert.DoesNotContain("ran to its end", console.Output);
    }
}
