using System.Text.RegularExpressions;
using CdnPlatform.LoadTest.Reporting;

namespace CdnPlatform.LoadTest.Tests.Reporting;

public sealed partial class HtmlReportWriterTests
{
    private const string Breakout = "</script><script>alert(1)</script>";

    [Fact]
    public void FetchesNothing()
    {
        var html = HtmlReportWriter.Render(SampleReports.Drill());

        Assert.Empty(RemoteReference().Matches(html).Select(m => m.Value));
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        // Protocol-relative addresses (//host/x) would be fetched over the network too.
        Assert.DoesNotMatch(@"(?i)\b(src|href)\s*=\s*[""']?\s*//", html);
        Assert.Contains("default-src 'none'", html);
    }

    [Fact]
    public void EmbedsTheReportAsJsonThatReadsBack()
    {
        var report = SampleReports.Drill();
        var html = HtmlReportWriter.Render(report);

        var embedded = DataScript().Match(html);
        Assert.True(embedded.Success, "no <script type=\"application/json\" id=\"report-data\"> in the page");
        var back = JsonReportWriter.Deserialize(embedded.Groups[1].Value);
        Assert.Equal(report.Timeline.Count, back.Timeline.Count);
        Assert.Equal(report.Events.Select(e => e.Kind), back.Events.Select(e => e.Kind));
        Assert.Equal(report.Pops.Select(p => p.Name), back.Pops.Select(p => p.Name));
        Assert.Equal(report.Total.Latency, back.Total.Latency);
    }

    [Fact]
    public void ALabelCannotBreakOutOfTheData()
    {
        var report = SampleReports.Drill(scenario: Breakout, purgeLabel: $"<!-- <script> {Breakout}");
        report = report with { ErrorSamples = [Breakout] };
        var html = HtmlReportWriter.Render(report);

        // The page has exactly its two script elements, the data and the drawing, and nothing a label opened.
        Assert.Equal(2, Regex.Matches(html, "<script", RegexOptions.IgnoreCase).Count);
        Assert.Equal(2, Regex.Matches(html, "</script", RegexOptions.IgnoreCase).Count);
        Assert.DoesNotContain("alert(1)</script>", html);
        Assert.Contains("&lt;/script&gt;&lt;script&gt;alert(1)", html);
        // The label still reads back whole from the data.
        var back = JsonReportWriter.Deserialize(DataScript().Match(html).Groups[1].Value);
        Assert.Equal(Breakout, back.Scenario);
        Assert.Equal($"<!-- <script> {Breakout}", back.Events[1].Label);
    }

    [Fact]
    public void ShowsTheFiguresOfEveryGroup()
    {
        var html = HtmlReportWriter.Render(SampleReports.Drill());

        Assert.Contains(">FAILED<", html);
        Assert.Contains("<dd>open</dd>", html);
        Assert.Contains("<dd>2026-12-04 09:30:00 UTC</dd>", html);
        Assert.Contains("<dd>200.0 req/s</dd>", html); // requested
        Assert.Contains("<dd>199.5 req/s</dd>", html); // achieved
        foreach (var group in new[] { "all", "ams", "fra", "primary", "dr" })
        {
            Assert.Contains($"data-group=\"{group}\"", html);
        }
        // all: requests, p50, p99, p99.9, max, mean, hit ratio, errors by kind, bytes.
        var all = Row(html, "all");
        foreach (var figure in new[] { ">5,985<", ">2.41<", ">48.3<", ">1,012<", ">1,031<", ">4.92<", ">91.4 %<", "status-5xx 29, timeout 8", ">184.3 MB<" })
        {
            Assert.Contains(figure, all);
        }
        Assert.Contains(">51.2<", Row(html, "fra"));
        Assert.Contains(">310<", Row(html, "primary"));
    }

    [Fact]
    public void ListsThresholdsErrorSamplesAndEvents()
    {
        var html = HtmlReportWriter.Render(SampleReports.Drill());

        Assert.Contains("<code>errors == 0</code></td><td>37</td><td class=\"fail\">failed</td>", html);
        Assert.Contains("<code>p99 &lt; 100ms</code></td><td>48.3</td><td class=\"pass\">passed</td>", html);
        Assert.Contains("<li>GET /cart via fra: timeout after 2000 ms</li>", html);
        Assert.Contains("<tr data-kind=\"failover\"><td>17.40</td>", html);
        Assert.Contains("dr active (automatic)", html);
        Assert.Contains("<td>0.420</td>", html); // the purge's time to fresh at every edge
    }

    [Fact]
    public void APassedAndAnInterruptedRunSaySo()
    {
        var passed = SampleReports.Drill() with { Thresholds = [new("p99 < 100ms", 48.3, true)] };
        Assert.Contains(">PASSED<", HtmlReportWriter.Render(passed));
        Assert.Contains(">INTERRUPTED<", HtmlReportWriter.Render(passed with { Interrupted = true }));
    }

    [Fact]
    public void RendersARunThatMeasuredNothing()
    {
        var html = HtmlReportWriter.Render(SampleReports.Empty());

        Assert.Contains(">INTERRUPTED<", html);
        Assert.Contains("The scenario has no thresholds.", html);
        Assert.Contains("No events.", html);
        Assert.Contains("No errors.", html);
        Assert.DoesNotContain("requested rate", html); // a closed model asks for no rate
        Assert.Empty(JsonReportWriter.Deserialize(DataScript().Match(html).Groups[1].Value).Timeline);
    }

    [Fact]
    public async Task WritesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cdnload-{Guid.NewGuid():N}.html");
        try
        {
            await HtmlReportWriter.WriteAsync(SampleReports.Drill(), path, CancellationToken.None);
            Assert.Equal(HtmlReportWriter.Render(SampleReports.Drill()), await File.ReadAllTextAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Row(string html, string group)
    {
        var match = Regex.Match(html, $"<tr [^>]*data-group=\"{group}\">.*?</tr>");
        Assert.True(match.Success, $"no row for {group}");
        return match.Value;
    }

    [GeneratedRegex(@"(?i)\b(src|href|action|poster|srcset)\s*=\s*[""']?\s*(https?:|ftp:)|url\(\s*[""']?\s*(https?:)?//")]
    private static partial Regex RemoteReference();

    [GeneratedRegex("""<script type="application/json" id="report-data">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex DataScript();
}
