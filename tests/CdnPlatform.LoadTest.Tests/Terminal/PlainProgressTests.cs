using CdnPlatform.LoadTest.Reporting;
using CdnPlatform.LoadTest.Terminal;

namespace CdnPlatform.LoadTest.Tests.Terminal;

public sealed class PlainProgressTests
{
    [Fact]
    public void ASecondIsOneLineWithTheRunThenEachPop()
    {
        var line = PlainProgress.FormatSecond(SampleRun.Second, TimeSpan.FromSeconds(12.02), TimeSpan.FromSeconds(30));
        Assert.Equal(
            "[  12s/30s] 201 req/s (target 200) p50 1.2ms p99 4.8ms max 9.1ms hit 97.3% errors 2 (timeout 2)" +
            " | ams 100 p99 4.1ms hit 98.0% | fra 101 p99 5.2ms hit — errors 2",
            line);
    }

    [Fact]
    public void AClosedModelSecondHasNoTargetRate()
    {
        var line = PlainProgress.FormatSecond(SampleRun.Second with { TargetRate = null }, TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(2));
        Assert.StartsWith("[   3s/2m] 201 req/s p50 1.2ms", line);
        Assert.DoesNotContain("target", line);
    }

    [Fact]
    public void AnEventIsOneLineAndSaysHowLongItTookWhenItHasALength()
    {
        Assert.Equal("[  12.4s] purge: purge 3 of /products/7", PlainProgress.FormatEvent(SampleRun.Purge));
        Assert.Equal("[  12.4s] purge-fresh: purge 3 fresh at every edge (34.5ms)", PlainProgress.FormatEvent(SampleRun.PurgeFresh));
    }

    [Fact]
    public void WritesEachSecondAndEventAsItComesWithoutAnsi()
    {
        var output = new StringWriter();
        IRunProgress progress = new PlainProgress(output);
        progress.OnSecond(SampleRun.Second, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(30));
        progress.OnEvent(SampleRun.Purge);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("[  12s/30s] 201 req/s", lines[0]);
        Assert.Equal("[  12.4s] purge: purge 3 of /products/7", lines[1]);
        Assert.DoesNotContain('\u001b', output.ToString());
    }
}
