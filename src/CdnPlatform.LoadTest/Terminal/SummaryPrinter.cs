using System.Globalization;
using CdnPlatform.LoadTest.Reporting;
using CdnPlatform.LoadTest.Thresholds;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CdnPlatform.LoadTest.Terminal;

/// <summary>
/// The tables after a run: what ran, the figures for the run, each POP and each datacenter, errors by kind, the
/// thresholds' verdicts, the events and the first errors. Spectre's tables fall back to plain text on a console without
/// ANSI, so the same summary reads in a CI log.
/// </summary>
public static class SummaryPrinter
{
    public static void Write(IAnsiConsole console, LoadReport report)
    {
        List<IRenderable> sections = [Header(report), .. GroupTables(console, report)];
        if (report.Total.Errors > 0)
        {
            sections.Add(ErrorKinds(report));
        }
        if (report.Thresholds.Count > 0)
        {
            sections.Add(Thresholds(report.Thresholds));
        }
        if (report.Events.Count > 0)
        {
            sections.Add(Events(report.Events));
        }
        if (report.ErrorSamples.Count > 0)
        {
            sections.Add(ErrorSamples(report.ErrorSamples));
        }
        sections.Add(Verdict(report));
        foreach (var section in sections)
        {
            console.WriteLine();
            console.Write(section);
        }
        console.WriteLine();
    }

    private static Grid Header(LoadReport report)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(new Text("scenario"), new Markup($"[bold]{Markup.Escape(report.Scenario)}[/]"));
        grid.AddRow(new Text("model"), new Text(report.Model == "open" ? "open (arrival rate)" : $"{report.Model} (virtual users)"));
        grid.AddRow(new Text("started"), new Text(report.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        grid.AddRow(new Text("duration"), new Text(Figures.Duration(report.DurationSeconds)));
        var achieved = $"{Figures.Rate(report.Total.Rate)} req/s";
        grid.AddRow(new Text("rate"), new Text(report.RequestedRate is { } requested ? $"requested {Figures.Rate(requested)} req/s, achieved {achieved}" : $"achieved {achieved}"));
        if (report.ServiceTime is { } service && report.Total.Requests > 0)
        {
            // Beside the latencies from the intended send: what a closed-model tool would have shown, and the tool's own part.
            var lag = report.SendLag is { } sendLag ? $"; the generator's own send lag p99 {Figures.Milliseconds(sendLag.P99)}" : "";
            grid.AddRow(new Text("service time"), new Text($"from the actual send: p50 {Figures.Milliseconds(service.P50)}, p99 {Figures.Milliseconds(service.P99)}{lag}"));
        }
        grid.AddRow(new Text("status"), report.Interrupted
            ? new Markup("[yellow]interrupted[/]: stopped before its end; the figures are of what ran")
            : new Text("ran to its end"));
        return grid;
    }

    /// <summary>
    /// One table with every figure when the console is wide enough for it, otherwise two (counts, then latencies):
    /// on an 80-column terminal one table would wrap its figures mid-word (<c>48.4m</c> over <c>s</c>).
    /// </summary>
    private static IEnumerable<Table> GroupTables(IAnsiConsole console, LoadReport report)
    {
        var whole = Groups(report, counts: true, latencies: true);
        List<Table> tables = ((IRenderable)whole).Measure(RenderOptions.Create(console), int.MaxValue).Max <= console.Profile.Width
            ? [whole]
            : [Groups(report, counts: true, latencies: false), Groups(report, counts: false, latencies: true)];
        if (report.Datacenters.Count > 0)
        {
            // A DC row counts origin responses, not requests: a hit at the edge never reaches one.
            tables[^1].Caption("DC: origin responses by datacenter");
        }
        return tables;
    }

    /// <summary>One row for the whole run, one per POP, one per datacenter.</summary>
    private static Table Groups(LoadReport report, bool counts, bool latencies)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("");
        string[] headings = [.. counts ? ["requests", "rate"] : Array.Empty<string>(), .. latencies ? ["p50", "p90", "p99", "p99.9", "max"] : Array.Empty<string>(),
            .. counts ? ["hit", "errors"] : Array.Empty<string>()];
        foreach (var heading in headings)
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }
        var groups = report.Pops.Select(p => ($"POP {p.Name}", p)).Concat(report.Datacenters.Select(d => ($"DC {d.Name}", d)));
        table.AddRow([new Markup("[bold]all[/]"), .. Cells(report.Total, counts, latencies)]);
        foreach (var (name, figures) in groups)
        {
            table.AddRow([new Text(name), .. Cells(figures, counts, latencies)]);
        }
        return table;
    }

    private static IEnumerable<IRenderable> Cells(GroupFigures figures, bool counts, bool latencies)
    {
        if (counts)
        {
            yield return new Text(Figures.Count(figures.Requests));
            yield return new Text(Figures.Rate(figures.Rate));
        }
        if (latencies)
        {
            var latency = figures.Latency;
            foreach (var milliseconds in (double[])[latency.P50, latency.P90, latency.P99, latency.P999, latency.Max])
            {
                yield return new Text(Figures.Milliseconds(milliseconds));
            }
        }
        if (counts)
        {
            yield return new Text(Figures.Percent(figures.HitRatio));
            yield return figures.Errors == 0 ? new Text("0") : new Markup($"[red]{Figures.Count(figures.Errors)}[/]");
        }
    }

    /// <summary>Errors by kind for the run and each POP: a timeout at one POP reads differently from 5xx everywhere.</summary>
    private static Table ErrorKinds(LoadReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("error").AddColumn(new TableColumn("all").RightAligned());
        foreach (var pop in report.Pops)
        {
            table.AddColumn(new TableColumn(Markup.Escape(pop.Name)).RightAligned());
        }
        foreach (var (kind, count) in report.Total.ErrorsByKind.Where(e => e.Value > 0).OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal))
        {
            table.AddRow([new Text(kind), new Text(Figures.Count(count)), .. report.Pops.Select(p => new Text(Figures.Count(p.ErrorsByKind.GetValueOrDefault(kind))))]);
        }
        return table;
    }

    private static Table Thresholds(IReadOnlyList<ThresholdResult> thresholds)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("threshold").AddColumn(new TableColumn("actual").RightAligned()).AddColumn("result");
        foreach (var threshold in thresholds)
        {
            table.AddRow(new Text(threshold.Expression), new Text(Actual(threshold)),
                threshold.Passed ? new Markup("[green]✓ PASS[/]") : new Markup("[red]✗ FAIL[/]"));
        }
        return table;
    }

    /// <summary>The figure in its metric's unit, read back from the expression: a latency, a count, a ratio or a rate.</summary>
    private static string Actual(ThresholdResult threshold)
    {
        if (threshold.Actual is not { } actual)
        {
            return Figures.None;
        }
        var metric = Threshold.TryParse(threshold.Expression, out var parsed, out _) ? parsed!.Metric : "";
        return metric switch
        {
            "p50" or "p90" or "p99" or "p99.9" or "max" or "mean" => Figures.Milliseconds(actual),
            "errors" or "requests" => Figures.Count((long)actual),
            "error_rate" or "hit_ratio" => Figures.Percent(actual),
            "rate" => $"{Figures.Rate(actual)} req/s",
            _ => actual.ToString("0.###", CultureInfo.InvariantCulture),
        };
    }

    private static Table Events(IReadOnlyList<TimelineEvent> events)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("at").RightAligned()).AddColumn("event").AddColumn("").AddColumn(new TableColumn("took").RightAligned());
        foreach (var e in events)
        {
            table.AddRow(new Text(Figures.At(e.At)), new Text(e.Kind), new Text(e.Label), new Text(e.Seconds is { } s ? Figures.Milliseconds(s * 1000) : ""));
        }
        return table;
    }

    private static Table ErrorSamples(IReadOnlyList<string> samples)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(samples.Count == 1 ? "the first error" : $"the first {samples.Count} errors");
        foreach (var sample in samples)
        {
            table.AddRow(new Text(sample));
        }
        return table;
    }

    private static Markup Verdict(LoadReport report)
    {
        var broken = report.Thresholds.Count(t => !t.Passed);
        var thresholds = report.Thresholds.Count == 0 ? "no thresholds"
            : broken == 0 ? $"[green]PASS[/]: {report.Thresholds.Count} of {report.Thresholds.Count} thresholds held"
            : $"[red]FAIL[/]: {broken} of {report.Thresholds.Count} thresholds broke";
        return new Markup(report.Interrupted ? $"[yellow]INTERRUPTED[/] after {Figures.Duration(report.DurationSeconds)}; {thresholds}" : thresholds);
    }
}
