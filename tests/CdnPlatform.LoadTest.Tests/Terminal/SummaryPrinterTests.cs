using CdnPlatform.LoadTest.Reporting;
using CdnPlatform.LoadTest.Terminal;
using Spectre.Console;
using Spectre.Console.Testing;
using static CdnPlatform.LoadTest.Tests.Terminal.TableRows;

namespace CdnPlatform.LoadTest.Tests.Terminal;

public sealed class SummaryPrinterTests
{
    [Fact]
    public void HasARowForTheRunEveryPopAndEveryDatacenterWithTheirPercentiles()
    {
        var lines = Print(SampleRun.Report());

        AssertRow(lines, "all", "6,000", "200", "1.2ms", "3.1ms", "4.9ms", "11.2ms", "240ms", "97.3%", "3");
        AssertRow(lines, "POP ams", "3,000", "100", "1.1ms", "2.2ms", "4.1ms", "8.0ms", "12.5ms", "98.0%", "1");
        AssertRow(lines, "POP fra", "3,000", "100", "1.3ms", "3.4ms", "5.6ms", "13.9ms", "240ms", "96.6%", "2");
        AssertRow(lines, "DC primary", "120", "4", "21.5ms", "30.2ms", "44.4ms", "61.0ms", "62.3ms", "—", "1");
        AssertRow(lines, "DC dr", "42", "1.4", "25.0ms", "33.3ms", "48.8ms", "70.1ms", "71.0ms", "—", "0");
    }

    [Fact]
    public void OnANarrowConsoleCountsAndLatenciesAreTwoTablesRatherThanWrappedFigures()
    {
        var lines = Print(SampleRun.Report(), width: 80);

        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
        AssertRow(lines, "POP ams", "3,000", "100", "98.0%", "1");
        AssertRow(lines, "POP ams", "1.1ms", "2.2ms", "4.1ms", "8.0ms", "12.5ms");
        AssertRow(lines, "DC primary", "21.5ms", "30.2ms", "44.4ms", "61.0ms", "62.3ms");
        Assert.Single(lines, l => l.Contains("DC: origin responses by datacenter"));
    }

    [Fact]
    public void TheHeaderSaysWhatRanAndTheRequestedAgainstTheAchievedRate()
    {
        var text = string.Join('\n', Print(SampleRun.Report()));
        Assert.Contains("browse", text);
        Assert.Contains("open (arrival rate)", text);
        Assert.Contains("30s", text);
        Assert.Contains("requested 200 req/s, achieved 200 req/s", text);
        Assert.Contains("ran to its end", text);
        Assert.DoesNotContain("interrupted", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AnInterruptedRunSaysSo()
    {
        var text = string.Join('\n', Print(SampleRun.Report(interrupted: true)));
        Assert.Contains("interrupted", text);
        Assert.Contains("INTERRUPTED after 30s", text);
        Assert.DoesNotContain("ran to its end", text);
    }

    [Fact]
    public void EachThresholdShowsItsActualFigureAndPassOrFail()
    {
        var lines = Print(SampleRun.Report());

        AssertRow(lines, "p99 < 50ms", "4.9ms", "✓ PASS");
        AssertRow(lines, "errors == 0", "3", "✗ FAIL");
        Assert.Contains(lines, l => l.Contains("FAIL: 1 of 2 thresholds broke"));
    }

    [Fact]
    public void EveryThresholdHeldIsAPass()
    {
        var lines = Print(SampleRun.Report(thresholds: [new ThresholdResult("hit_ratio > 0.9", 0.973, true), new ThresholdResult("fra.rate >= 90", 100, true)]));

        AssertRow(lines, "hit_ratio > 0.9", "97.3%", "✓ PASS");
        AssertRow(lines, "fra.rate >= 90", "100 req/s", "✓ PASS");
        Assert.Contains(lines, l => l.Contains("PASS: 2 of 2 thresholds held"));
        Assert.DoesNotContain(lines, l => l.Contains("FAIL"));
    }

    [Fact]
    public void ErrorsAreListedByKindForTheRunAndEachPop()
    {
        var lines = Print(SampleRun.Report());

        AssertRow(lines, "timeout", "2", "0", "2");
        AssertRow(lines, "status-5xx", "1", "1", "0");
    }

    [Fact]
    public void EventsAndErrorSamplesAreListed()
    {
        var lines = Print(SampleRun.Report());

        AssertRow(lines, "12.4s", "purge", "purge 3 of /products/7");
        AssertRow(lines, "12.4s", "purge-fresh", "purge 3 fresh at every edge", "34.5ms");
        Assert.Contains(lines, l => l.Contains("the first 2 errors"));
        Assert.Contains(lines, l => l.Contains("3.120s GET /products/9 via fra: timeout after 2s"));
        Assert.Contains(lines, l => l.Contains("7.004s GET / via ams: 503 Service Unavailable"));
    }

    [Fact]
    public void ACleanRunWithoutEventsHasNoErrorOrEventTables()
    {
        var clean = SampleRun.Report() with { Events = [], Total = SampleRun.Report().Total with { Errors = 0, ErrorsByKind = new Dictionary<string, long>() } };
        var text = string.Join('\n', Print(clean with { ErrorSamples = [] }));

        Assert.DoesNotContain("purge", text);
        Assert.DoesNotContain("timeout", text);
        Assert.DoesNotContain("the first", text);
    }

    [Fact]
    public void OnAConsoleWithoutAnsiTheTablesArePlainText()
    {
        // What AnsiConsole makes of a redirected stdout: no ANSI, no colours, not interactive.
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = ConsoleSession.RedirectedWidth;

        SummaryPrinter.Write(console, SampleRun.Report());

        var lines = output.ToString().Split('\n');
        Assert.DoesNotContain('\u001b', output.ToString());
        AssertRow(lines, "DC primary", "120", "4", "21.5ms", "30.2ms", "44.4ms", "61.0ms", "62.3ms", "—", "1");
        AssertRow(lines, "errors == 0", "3", "✗ FAIL");
    }

    private static List<string> Print(LoadReport report, int width = ConsoleSession.RedirectedWidth)
    {
        var console = new TestConsole().Width(width);
        SummaryPrinter.Write(console, report);
        return [.. console.Lines];
    }
}
