using System.Text.RegularExpressions;
using CdnPlatform.LoadTest.Reporting;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CdnPlatform.LoadTest.Tests.Reporting;

/// <summary>
/// The written report opened from disk in a real Chromium (Debian's, which scripts/test.sh installs), offline: every
/// request the page makes is recorded and any that is not the file itself is refused, then the drawn charts are read
/// back from the DOM and the page is kept as a screenshot.
/// </summary>
public sealed class HtmlReportBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string[] Charts = ["rate", "latency", "hit-ratio", "errors"];

    private string? _directory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        // Not a skip: a machine without the browser would otherwise pass without ever drawing a chart.
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing: the browser tests use Debian's chromium (scripts/test.sh installs it: apt-get install chromium)");
        _directory = Directory.CreateTempSubdirectory("cdnload-report-").FullName;
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task DrawsTheFourChartsWithEveryPopAndTheEventsOffline()
    {
        var (page, visit) = await OpenAsync(SampleReports.Drill());

        foreach (var chart in Charts)
        {
            Assert.Equal(1, await page.Locator(Chart(chart)).CountAsync());
        }
        var rate = await SeriesAsync(page, "rate");
        Assert.Equal(["all", "ams", "fra", "target"], rate.Keys.Order());
        Assert.Equal(["max", "p50", "p99"], (await SeriesAsync(page, "latency")).Keys.Order());
        Assert.Equal(["all", "ams", "fra"], (await SeriesAsync(page, "hit-ratio")).Keys.Order());
        var errors = await SeriesAsync(page, "errors");
        Assert.Equal(["status-5xx", "timeout"], errors.Keys.Order());
        // Every second of the rate has its point; the timeouts came in one second only, the rest of the line is at 0.
        Assert.All(rate.Values, d => Assert.Equal(SampleReports.Seconds, Points(d)));
        Assert.Equal(SampleReports.Seconds, Points(errors["timeout"]));

        foreach (var chart in Charts)
        {
            foreach (var kind in new[] { "stage", "purge", "purge-fresh", "dc-kill", "failover" })
            {
                Assert.True(await page.Locator($"{Chart(chart)} .event-marker[data-kind=\"{kind}\"]").CountAsync() == 1,
                    $"the {chart} chart has no {kind} marker");
            }
            // The markers stand where the events happened: the purge before the kill, the kill before the failover.
            var purge = await MarkerXAsync(page, chart, "purge");
            var kill = await MarkerXAsync(page, chart, "dc-kill");
            var failover = await MarkerXAsync(page, chart, "failover");
            Assert.True(purge < kill && kill < failover, $"{chart}: purge at {purge}, kill at {kill}, failover at {failover}");
        }
        var failoverTitle = await page.Locator($"{Chart("rate")} .event-marker[data-kind=\"failover\"] title").TextContentAsync();
        Assert.Contains("dr active (automatic)", failoverTitle);

        var screenshot = await ScreenshotAsync(page, "cdnload-report.png");
        Assert.True(new FileInfo(screenshot).Length > 30_000, $"{screenshot} is only {new FileInfo(screenshot).Length} bytes");
        visit.AssertClean();
    }

    [Fact]
    public async Task ARunThatMeasuredNothingSaysNoData()
    {
        var (page, visit) = await OpenAsync(SampleReports.Empty());

        foreach (var chart in Charts)
        {
            Assert.Equal(1, await page.Locator(Chart(chart)).CountAsync());
            Assert.Equal(0, await page.Locator($"{Chart(chart)} path.series").CountAsync());
            Assert.Equal("no data", await page.Locator($"{Chart(chart)} text.no-data").TextContentAsync());
        }
        await ScreenshotAsync(page, "cdnload-report-empty.png");
        visit.AssertClean();
    }

    private async Task<(IPage Page, PageVisit Visit)> OpenAsync(LoadReport report)
    {
        var path = Path.Combine(_directory!, "report.html");
        await HtmlReportWriter.WriteAsync(report, path, CancellationToken.None);
        var page = await _browser!.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var visit = new PageVisit();
        page.Request += (_, request) => visit.Requested(request.Url);
        page.Console += (_, message) => visit.Logged(message.Type, message.Text);
        page.PageError += (_, error) => visit.Threw(error);
        await page.RouteAsync("**/*", route => visit.Allows(route.Request.Url) ? route.ContinueAsync() : route.AbortAsync());

        await page.GotoAsync(new Uri(path).AbsoluteUri);
        try
        {
            await page.WaitForSelectorAsync("body[data-rendered]", new() { State = WaitForSelectorState.Attached, Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the page never finished drawing (its script did not run?); {visit}");
        }
        var renderError = await page.GetAttributeAsync("body", "data-render-error");
        Assert.True(renderError is null, $"the page's script threw: {renderError}; {visit}");
        Assert.Equal("true", await page.GetAttributeAsync("body", "data-rendered"));
        return (page, visit);
    }

    private static string Chart(string name) => $"svg.chart[data-chart=\"{name}\"]";

    private static async Task<Dictionary<string, string>> SeriesAsync(IPage page, string chart)
    {
        var series = new Dictionary<string, string>();
        foreach (var path in await page.Locator($"{Chart(chart)} path.series").AllAsync())
        {
            var name = await path.GetAttributeAsync("data-series") ?? "";
            var d = await path.GetAttributeAsync("d") ?? "";
            Assert.True(Points(d) >= 5, $"the {chart} chart's {name} series has too few points: \"{d}\"");
            series.Add(name, d);
        }
        return series;
    }

    private static int Points(string d) => Regex.Matches(d, @"[ML]-?\d").Count;

    private static async Task<double> MarkerXAsync(IPage page, string chart, string kind) =>
        double.Parse(await page.Locator($"{Chart(chart)} .event-marker[data-kind=\"{kind}\"] line.mark").GetAttributeAsync("x1") ?? "NaN",
            System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var directory = Environment.GetEnvironmentVariable("CDN_TEST_ARTIFACTS") is { Length: > 0 } artifacts
            ? artifacts
            : Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(File.Exists(path), $"no screenshot at {path}");
        output.WriteLine($"screenshot: {path} ({new FileInfo(path).Length} bytes)");
        return path;
    }
}
