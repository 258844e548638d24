using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CdnPlatform.LoadTest.Reporting;

/// <summary>
/// Writes a report as one HTML file (<c>--html FILE</c>) that reads the same offline and years later: the figures as
/// tables written here, the timeline as SVG charts that the page's own script draws from the report's JSON inside it.
/// Nothing is fetched; the page's Content-Security-Policy lets only its own script run.
/// </summary>
public static partial class HtmlReportWriter
{
    private const string TemplateResource = "report:html";

    private static readonly string Template = ReadTemplate();

    public static string Render(LoadReport report)
    {
        var fragments = new Dictionary<string, string>
        {
            ["title"] = Text($"cdnload · {report.Scenario}"),
            ["summary"] = Summary(report),
            ["data"] = EmbeddedJson(report),
        };
        // One pass: what a fragment holds (a label that reads "{{data}}") is never taken for a placeholder.
        return Placeholder().Replace(Template, match => fragments[match.Groups[1].Value]);
    }

    public static Task WriteAsync(LoadReport report, string path, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(path, Render(report), cancellationToken);

    /// <summary>
    /// The report's JSON, safe inside a script element: every <c>&lt;</c> becomes <c>\u003c</c>, so no label can close
    /// the element (<c>&lt;/script&gt;</c>) or open a comment that changes how the parser finds its end (<c>&lt;!--</c>).
    /// Done here rather than left to the serializer's default encoder, which a change for readable JSON files could relax.
    /// </summary>
    private static string EmbeddedJson(LoadReport report) =>
        JsonSerializer.Serialize(report, ReportJsonContext.Default.LoadReport).Replace("<", "\\u003c", StringComparison.Ordinal);

    private static string Summary(LoadReport report)
    {
        var html = new StringBuilder();
        Header(html, report);
        Thresholds(html, report.Thresholds);
        Figures(html, report);
        ErrorSamples(html, report.ErrorSamples);
        Events(html, report.Events);
        return html.ToString();
    }

    private static void Header(StringBuilder html, LoadReport report)
    {
        var (badge, verdict) = report.Interrupted ? ("interrupted", "INTERRUPTED") : report.Passed ? ("passed", "PASSED") : ("failed", "FAILED");
        html.Append($"<header class=\"run\"><h1>{Text(report.Scenario)}</h1><span class=\"badge {badge}\" id=\"verdict\">{verdict}</span></header>\n");
        html.Append("<dl class=\"facts\">");
        Fact(html, "model", report.Model);
        Fact(html, "started", report.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Fact(html, "duration", $"{Number(report.DurationSeconds, "0.0")} s");
        if (report.RequestedRate is { } requested)
        {
            Fact(html, "requested rate", $"{Number(requested, "#,0.0")} req/s");
        }
        Fact(html, "achieved rate", $"{Number(report.Total.Rate, "#,0.0")} req/s");
        Fact(html, "requests", Number(report.Total.Requests));
        html.Append("</dl>\n");
    }

    private static void Fact(StringBuilder html, string name, string value) =>
        html.Append($"<div><dt>{Text(name)}</dt><dd>{Text(value)}</dd></div>");

    private static void Thresholds(StringBuilder html, IReadOnlyList<ThresholdResult> thresholds)
    {
        html.Append("<section id=\"thresholds\"><h2>Thresholds</h2>");
        if (thresholds.Count == 0)
        {
            html.Append("<p class=\"none\">The scenario has no thresholds.</p></section>\n");
            return;
        }
        html.Append("<table><thead><tr><th class=\"text\">threshold</th><th>actual</th><th>result</th></tr></thead><tbody>");
        foreach (var threshold in thresholds)
        {
            var actual = threshold.Actual is { } value ? Number(value, "#,0.####") : "none";
            var (css, word) = threshold.Passed ? ("pass", "passed") : ("fail", "failed");
            html.Append($"<tr><td class=\"text\"><code>{Text(threshold.Expression)}</code></td><td>{Text(actual)}</td><td class=\"{css}\">{word}</td></tr>");
        }
        html.Append("</tbody></table></section>\n");
    }

    private static void Figures(StringBuilder html, LoadReport report)
    {
        html.Append("<section id=\"figures\"><h2>Figures</h2><div class=\"scroll\"><table><thead><tr>")
            .Append("<th class=\"text\">group</th><th>requests</th><th>rate (req/s)</th>")
            .Append("<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>mean (ms)</th>")
            .Append("<th>hit ratio</th><th>errors</th><th class=\"text\">errors by kind</th><th>bytes</th></tr></thead><tbody>");
        FigureRow(html, report.Total, "total");
        FigureGroup(html, "POPs", report.Pops);
        FigureGroup(html, "Datacenters", report.Datacenters);
        html.Append("</tbody></table></div></section>\n");
    }

    private static void FigureGroup(StringBuilder html, string title, IReadOnlyList<GroupFigures> groups)
    {
        if (groups.Count == 0)
        {
            return;
        }
        html.Append($"<tr class=\"group\"><th colspan=\"13\">{Text(title)}</th></tr>");
        foreach (var group in groups)
        {
            FigureRow(html, group, "group-row");
        }
    }

    private static void FigureRow(StringBuilder html, GroupFigures figures, string css)
    {
        var latency = figures.Latency;
        var errorsByKind = figures.ErrorsByKind.Count == 0
            ? "–"
            : string.Join(", ", figures.ErrorsByKind.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {Number(k.Value)}"));
        html.Append($"<tr class=\"{css}\" data-group=\"{Text(figures.Name)}\">")
            .Append($"<td>{Text(figures.Name)}</td><td>{Number(figures.Requests)}</td><td>{Number(figures.Rate, "#,0.0")}</td>")
            .Append($"<td>{Millis(latency.P50)}</td><td>{Millis(latency.P90)}</td><td>{Millis(latency.P99)}</td>")
            .Append($"<td>{Millis(latency.P999)}</td><td>{Millis(latency.Max)}</td><td>{Millis(latency.Mean)}</td>")
            .Append($"<td>{(figures.HitRatio is { } ratio ? Number(ratio * 100, "0.0") + " %" : "–")}</td>")
            .Append($"<td>{Number(figures.Errors)}</td><td class=\"text\">{Text(errorsByKind)}</td>")
            .Append($"<td title=\"{Number(figures.Bytes)} bytes\">{Bytes(figures.Bytes)}</td></tr>");
    }

    private static void ErrorSamples(StringBuilder html, IReadOnlyList<string> samples)
    {
        html.Append("<section id=\"error-samples\"><h2>First errors</h2>");
        if (samples.Count == 0)
        {
            html.Append("<p class=\"none\">No errors.</p></section>\n");
            return;
        }
        html.Append("<ol class=\"samples\">");
        foreach (var sample in samples)
        {
            html.Append($"<li>{Text(sample)}</li>");
        }
        html.Append("</ol></section>\n");
    }

    private static void Events(StringBuilder html, IReadOnlyList<TimelineEvent> events)
    {
        html.Append("<section id=\"events\"><h2>Events</h2>");
        if (events.Count == 0)
        {
            html.Append("<p class=\"none\">No events.</p></section>\n");
            return;
        }
        html.Append("<div class=\"scroll\"><table><thead><tr><th>at (s)</th><th class=\"text\">kind</th><th class=\"text\">what</th><th>took (s)</th></tr></thead><tbody>");
        foreach (var e in events.OrderBy(e => e.At))
        {
            var took = e.Seconds is { } seconds ? Number(seconds, "0.000") : "";
            html.Append($"<tr data-kind=\"{Text(e.Kind)}\"><td>{Number(e.At, "0.00")}</td><td class=\"text\">{Text(e.Kind)}</td><td class=\"text\">{Text(e.Label)}</td><td>{took}</td></tr>");
        }
        html.Append("</tbody></table></div></section>\n");
    }

    private static string Text(string value) => WebUtility.HtmlEncode(value);

    private static string Number(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Three significant digits, as the histogram holds them.</summary>
    private static string Millis(double ms) => Number(ms, ms < 10 ? "0.00" : ms < 100 ? "0.0" : "#,0");

    private static string Bytes(long bytes) => bytes switch
    {
        < 1_000 => $"{bytes} B",
        < 1_000_000 => $"{Number(bytes / 1e3, "0.0")} kB",
        < 1_000_000_000 => $"{Number(bytes / 1e6, "0.0")} MB",
        _ => $"{Number(bytes / 1e9, "0.00")} GB",
    };

    /// <summary>The page with its script's hash in its Content-Security-Policy, so that only that script may run.</summary>
    private static string ReadTemplate()
    {
        using var stream = typeof(HtmlReportWriter).Assembly.GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException($"the HTML report's template ({TemplateResource}) is not in the assembly");
        using var reader = new StreamReader(stream);
        var template = reader.ReadToEnd();
        var script = PageScript().Match(template);
        if (!script.Success)
        {
            throw new InvalidOperationException("the HTML report's template has no script");
        }
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script.Groups[1].Value)));
        return template.Replace("{{script-hash}}", $"sha256-{hash}", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{\{(title|summary|data)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex PageScript();
}
